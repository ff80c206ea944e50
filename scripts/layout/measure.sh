#!/bin/sh
# Issue 24's measure: the files a newcomer touches to add a strategy, a planner, a backend, a tab and a constraint
# type, before (3611bc5) and after (HEAD), each checked where users choose it (config, CLI --help, app, bench
# flags) and in a run. Usage, from the checkout: sh scripts/layout/measure.sh [BEFORE] [AFTER]
set -e
BEFORE=${1:-3611bc5}; AFTER=${2:-HEAD}; HERE=$(pwd); PY=$HERE/.venv/bin/python; T=$(mktemp -d)
for v in old new; do
  rev=$BEFORE; [ $v = new ] && rev=$AFTER
  mkdir -p $T/$v && git archive $rev | tar -x -C $T/$v
  (cd $T/$v && git init -q && git add -A && git -c user.name=m -c user.email=m@m commit -qm base)
  for e in strategy planner backend tab constraint; do
    (cd $T/$v && git checkout -q . && git clean -qfd && $PY $HERE/scripts/layout/apply.py . $v $e
     files=$(git status --short | wc -l); new=$(git status --short | grep -c '^??' || true)
     hunks=$(git diff -U0 | grep -c '^@@' || true); lines=$(git diff --numstat | awk '{s+=$1} END {print s+0}')
     res=$(timeout 300 $PY $HERE/scripts/layout/check.py $e 2>&1 | tail -1)
     echo "$v $e: files=$files (new $new) hunks_in_existing=$hunks added_lines_in_existing=$lines $res")
  done
done
rm -rf $T
