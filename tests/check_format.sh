#!/usr/bin/env bash
# Fails when a C++ file under src/, tests/ or bench/ is not formatted per .clang-format.
set -euo pipefail
cd "${1:?usage: check_format.sh SOURCE_DIR}"
formatter=$(command -v clang-format || command -v clang-format-14 || true)
if [ -z "$formatter" ]; then
    echo "check_format: clang-format is not installed (apt-get install clang-format)" >&2
    exit 1
fi
mapfile -t files < <(find src tests bench -type f \( -name '*.cpp' -o -name '*.h' \) 2>/dev/null | sort)
"$formatter" --style=file --dry-run --Werror "${files[@]}"
echo "check_format: ${#files[@]} files formatted"
