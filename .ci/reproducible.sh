#!/usr/bin/env bash
# Reproducible builds: two builds of one commit must give byte-identical published files.
#   .ci/reproducible.sh save DIR      copies what the last build wrote (every published module's
#                                     jars, sources and Javadoc jars, test jars, the CLI's runnable
#                                     jar and the SBOMs) into DIR
#   .ci/reproducible.sh compare DIR   compares them, byte for byte, with what the build since wrote;
#                                     exits 1 naming each file that differs or is missing
# A difference is investigated with: diff <(unzip -lv A) <(unzip -lv B), or diffoscope if installed.
set -euo pipefail
cd "$(dirname "$0")/.."

published=(core probes-http probes-prometheus junit probes-junit history cli)

# Only jars and SBOMs: cli/target's launcher (vigil) and class-data sharing archive (vigil.jsa, with
# vigil.jsa.properties) are neither published nor reproducible — the archive is written by and for the
# JDK of the build (docs/cli.md, "The vigil launcher").
files() {
  local module f
  for module in "${published[@]}"; do
    for f in "$module"/target/*.jar "$module"/target/bom.json "$module"/target/bom.xml; do
      [ -f "$f" ] || continue
      case "$(basename "$f")" in original-*) continue ;; esac   # the shade plugin's backup, never published
      echo "$f"
    done
  done
}

case "${1:-}" in
  save)
    dir=${2:?usage: $0 save DIR}
    mkdir -p "$dir"
    count=0
    while read -r f; do
      mkdir -p "$dir/$(dirname "$f")"
      cp "$f" "$dir/$f"
      count=$((count + 1))
    done < <(files)
    [ "$count" -gt 0 ] || { echo "no built files found: run the build first" >&2; exit 1; }
    echo "saved $count files to $dir"
    ;;
  compare)
    dir=${2:?usage: $0 compare DIR}
    same=0 different=0
    while read -r f; do
      if [ ! -f "$f" ]; then
        echo "MISSING in the second build: $f"; different=$((different + 1))
      elif cmp -s "$dir/$f" "$f"; then
        same=$((same + 1))
      else
        echo "DIFFERENT: $f"; different=$((different + 1))
        if [[ "$f" == *.jar ]]; then
          diff <(unzip -lv "$dir/$f" | awk 'NF >= 8 {print $7, $8, $5, $6}' | sort -k4) \
               <(unzip -lv "$f" | awk 'NF >= 8 {print $7, $8, $5, $6}' | sort -k4) | head -20 || true
        fi
      fi
    done < <(cd "$dir" && find . -type f | sed 's#^\./##' | sort)
    while read -r f; do
      [ -f "$dir/$f" ] || { echo "NEW in the second build: $f"; different=$((different + 1)); }
    done < <(files)
    echo "reproducibility: $same identical, $different different"
    [ "$different" -eq 0 ]
    ;;
  *)
    echo "usage: $0 save DIR | compare DIR" >&2; exit 2 ;;
esac
