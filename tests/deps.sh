#!/bin/sh
# Checks that the Debian packages named as arguments are installed and the
# fr_FR.UTF-8 locale exists (the tests use it); installs what is missing when
# run as root, else prints the command and fails.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "Installing missing packages:$missing"
		apt-get update -q && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $missing || exit 1
	else
		echo "Missing Debian packages:$missing" >&2
		echo "Run: sudo apt-get update && sudo apt-get install -y$missing" >&2
		exit 1
	fi
fi
if ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
	if [ "$(id -u)" = 0 ]; then
		echo "Generating the fr_FR.UTF-8 locale (used by the tests)"
		sed -i 's/^# *fr_FR.UTF-8 UTF-8/fr_FR.UTF-8 UTF-8/' /etc/locale.gen
		grep -q '^fr_FR.UTF-8 UTF-8' /etc/locale.gen ||
			echo 'fr_FR.UTF-8 UTF-8' >> /etc/locale.gen
		locale-gen >/dev/null || exit 1
	else
		echo "The tests need the fr_FR.UTF-8 locale." >&2
		echo "Run: sudo sed -i 's/^# *fr_FR.UTF-8/fr_FR.UTF-8/' /etc/locale.gen && sudo locale-gen" >&2
		exit 1
	fi
fi
exit 0
