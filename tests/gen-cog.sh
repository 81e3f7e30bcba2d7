#!/bin/sh
# Usage: tests/gen-cog.sh [VERSION] > core/cog_table.h - prints the INSEE
# geography (Code officiel géographique) as core/geo.c compiles it in: the
# régions, the départements with their région, and the current communes
# ("commune-actuelle") with the municipal arrondissements of Paris, Lyon and
# Marseille (75101..., used as INSEE codes too), from the COG as Etalab
# packages it on npm (@etalab/decoupage-administratif, default 6.0.0: the
# COG of 2026).  Needs npm (or curl) and python3.  Run once per new COG
# and commit the result; the file says which package made it and when.
#
# Layout: one string of the names, NUL-separated; the régions and the
# départements sorted by code with the offset of their name; the communes
# grouped by département, each group in code order, a commune held as the
# number its code ends with (code = département code + that number on
# 5 - strlen(département) digits), so no code is stored whole; the
# communes' names follow one another in code order, and only every 64th
# commune's name offset is stored (a lookup skips at most 63 names).
set -e
version=${1:-6.0.0}
pkg=@etalab/decoupage-administratif
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if command -v npm > /dev/null 2>&1; then
	(cd "$dir" && npm pack --silent "$pkg@$version" > /dev/null)
else
	curl -fsSL -o "$dir/cog.tgz" "https://registry.npmjs.org/$pkg/-/decoupage-administratif-$version.tgz"
fi
tar -xzf "$dir"/*.tgz -C "$dir"
cat > "$dir/gen.py" << 'EOF'
import json, sys, datetime

src, version = sys.argv[1], sys.argv[2]
stride = 64
def load(name):
    with open(f"{src}/data/{name}.json", encoding="utf-8") as f:
        return json.load(f)

regions = sorted(load("regions"), key=lambda r: r["code"])
deps = sorted(load("departements"), key=lambda d: d["code"])
communes = sorted((c for c in load("communes")
                   if c["type"] in ("commune-actuelle",
                                    "arrondissement-municipal")),
                  key=lambda c: c["code"])

names = bytearray()
lines = []
def name(s):
    off = len(names)
    b = s.encode("utf-8")
    assert b'"' not in b and b"\\" not in b and b"\0" not in b, s
    names.extend(b + b"\0")
    lines.append('\t"%s\\0"' % s)
    return off

reg_index = {r["code"]: i for i, r in enumerate(regions)}
out_reg = [(r["code"], name(r["nom"])) for r in regions]
dep_index = {d["code"]: i for i, d in enumerate(deps)}
assert len(deps) < 256 and len(communes) < 65536
first = {}
out_com = []
for c in communes:
    d = c["departement"]
    assert c["code"].startswith(d), c
    tail = c["code"][len(d):]
    assert len(c["code"]) == 5 and tail.isdigit(), c
    assert not out_com or out_com[-1][2] <= dep_index[d], c
    first.setdefault(d, len(out_com))
    out_com.append((name(c["nom"]), int(tail), dep_index[d]))
out_dep = []
for d in deps:
    assert 2 <= len(d["code"]) <= 3 and d["region"] in reg_index, d
    # A département without communes starts where the next one does.
    nxt = [first[e["code"]] for e in deps if e["code"] >= d["code"]
           and e["code"] in first]
    out_dep.append((d["code"], name(d["nom"]), reg_index[d["region"]],
                    nxt[0] if nxt else len(out_com)))

w = sys.stdout.write
w("/* cog_table.h - the INSEE geography (Code officiel géographique), generated\n"
  " * by tests/gen-cog.sh on %s from the npm package\n"
  " * @etalab/decoupage-administratif %s (Etalab; data under the Licence\n"
  " * Ouverte / Open Licence 2.0, https://www.etalab.gouv.fr/licence-ouverte-open-licence);\n"
  " * do not edit.  %d régions, %d départements, %d communes (current\n"
  " * communes and the municipal arrondissements of Paris, Lyon, Marseille).\n"
  " * Included by core/geo.c only. */\n"
  % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
     version, len(regions), len(deps), len(communes)))
w("\n/* The names, NUL-separated: régions, communes, départements. */\n")
w("static const char geo_names[] =\n%s;\n" % "\n".join(lines))
w("\n#define GEO_NAMES_SIZE %d\n" % len(names))
w("\n/* Régions by code: code, name. */\n")
w("static const struct geo_region geo_regions[] = {\n")
for code, off in out_reg:
    w('\t{ "%s", %d },\n' % (code, off))
w("};\n")
w("\n/* Départements by code: code, name, région (index), first commune. */\n")
w("static const struct geo_dep geo_deps[] = {\n")
for code, off, reg, f in out_dep:
    w('\t{ "%s", %d, %d, %d },\n' % (code, off, reg, f))
w("};\n")
w("\n/* Communes by code: the number each code ends with. */\n")
w("static const uint16_t geo_commune_num[] = {\n")
for i in range(0, len(out_com), 12):
    w("\t" + " ".join("%d," % t for _, t, _ in out_com[i:i + 12]) + "\n")
w("};\n")
w("\n/* The offset of the name of every %dth commune (0, %d, ...); the names\n"
  " * of the communes follow one another in code order. */\n"
  % (stride, stride))
w("#define GEO_NAME_STRIDE %d\n" % stride)
w("static const uint32_t geo_commune_name[] = {\n")
marks = [n for n, _, _ in out_com[::stride]]
for i in range(0, len(marks), 8):
    w("\t" + " ".join("%d," % n for n in marks[i:i + 8]) + "\n")
w("};\n")
EOF
python3 "$dir/gen.py" "$dir/package" "$version"
