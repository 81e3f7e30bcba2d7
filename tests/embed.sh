#!/bin/sh
# Usage: embed.sh NAME FILE - prints a C file defining NAME (the bytes of FILE
# and a NUL) and NAME_len (the byte count), so data ships inside the binary.
name=$1
file=$2
echo "/* Generated from $file by tests/embed.sh; do not edit. */"
echo "#include <stddef.h>"
echo "extern const unsigned char ${name}[];"
echo "extern const size_t ${name}_len;"
echo "const unsigned char ${name}[] = {"
od -An -v -tx1 "$file" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
echo "0x00 };"
echo "const size_t ${name}_len = $(wc -c < "$file");"
