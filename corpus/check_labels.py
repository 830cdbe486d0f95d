#!/usr/bin/env python3
"""Check that corpus/<set>/labels.json agrees with the documents beside it.

For every set (tune, holdout, dev, dev2, dev3, dev4, dev5, dev6, dev7, dev8, dev9, dev10) this verifies that each labelled file exists,
that each document in the folder is labelled, that every finding names a
valid family, that line-level findings have 1 <= line <= line_end <= the
number of lines and that their "text" snippet literally appears on "line",
that document-level findings (no_remediation) carry no line, and that the
verdict follows from the findings: block iff some finding has no
"severity": "warn", warn iff there are findings and all are warn-level,
pass iff there are none.  It then prints per-set counts.

Usage: python3 corpus/check_labels.py [CORPUS_DIR]   (exit 0 ok, 1 errors)
Standard library only, so ctest can run it anywhere python3 exists.
"""
import collections
import json
import os
import sys

FAMILIES = ('live_target', 'search_dork', 'exploit_code', 'mass_scanner',
            'webshell', 'credential', 'hype', 'no_remediation')
DOC_LEVEL = ('no_remediation',)
LANGS = ('zh', 'en')
VERDICTS = ('block', 'warn', 'pass')
SETS = ('tune', 'holdout', 'dev', 'dev2', 'dev3', 'dev4', 'dev5', 'dev6', 'dev7', 'dev8', 'dev9', 'dev10')
DOC_EXT = ('.md', '.html', '.htm', '.txt', '.json')


def check_set(root, name, errors):
    sdir = os.path.join(root, name)
    lpath = os.path.join(sdir, 'labels.json')

    def err(msg):
        errors.append(f'{name}: {msg}')

    try:
        with open(lpath, encoding='utf-8') as fh:
            data = json.load(fh)
    except (OSError, ValueError) as e:
        err(f'cannot read labels.json: {e}')
        return None
    docs = data.get('documents') if isinstance(data, dict) else None
    if not isinstance(docs, list):
        err('labels.json: top level must be {"documents": [...]}')
        return None
    on_disk = {f for f in os.listdir(sdir)
               if f != 'labels.json' and f.endswith(DOC_EXT)}
    others = {f for f in os.listdir(sdir)
              if f != 'labels.json' and not f.endswith(DOC_EXT)}
    for f in sorted(others):
        err(f'{f}: unexpected file (not a document extension)')
    seen = set()
    stats = {'documents': 0, 'lang': collections.Counter(),
             'verdict': collections.Counter(), 'family_labels': collections.Counter(),
             'family_docs': collections.Counter(), 'warn_labels': 0}
    for d in docs:
        f = d.get('file')
        if not isinstance(f, str):
            err(f'entry without file: {d!r:.80}')
            continue
        if f in seen:
            err(f'{f}: listed twice')
        seen.add(f)
        extra = set(d) - {'file', 'lang', 'verdict', 'findings'}
        if extra:
            err(f'{f}: unknown keys {sorted(extra)}')
        p = os.path.join(sdir, f)
        if not os.path.isfile(p):
            err(f'{f}: labelled but missing')
            continue
        with open(p, 'rb') as fh:
            raw = fh.read()
        try:
            lines = raw.decode('utf-8').split('\n')
        except UnicodeDecodeError:  # a GBK/GB18030 text file (dev10/zh-1119.txt)
            lines = raw.decode('gb18030').split('\n')
        lang, verdict = d.get('lang'), d.get('verdict')
        if lang not in LANGS:
            err(f'{f}: lang {lang!r} not in {LANGS}')
        if verdict not in VERDICTS:
            err(f'{f}: verdict {verdict!r} not in {VERDICTS}')
        findings = d.get('findings')
        if not isinstance(findings, list):
            err(f'{f}: findings must be a list')
            continue
        keys = set()
        blocking = False
        for x in findings:
            fam = x.get('family')
            if fam not in FAMILIES:
                err(f'{f}: unknown family {fam!r}')
                continue
            extra = set(x) - {'family', 'line', 'line_end', 'text', 'severity'}
            if extra:
                err(f'{f}: {fam}: unknown keys {sorted(extra)}')
            sev = x.get('severity')
            if sev not in (None, 'warn'):
                err(f'{f}: {fam}: severity must be absent or "warn"')
            if sev != 'warn':
                blocking = True
            stats['family_labels'][fam] += 1
            if sev == 'warn':
                stats['warn_labels'] += 1
            if fam in DOC_LEVEL:
                if any(k in x for k in ('line', 'line_end', 'text')):
                    err(f'{f}: {fam} is document-level and takes no line/text')
                if (fam, None) in keys:
                    err(f'{f}: {fam} listed twice')
                keys.add((fam, None))
                continue
            line, end, text = x.get('line'), x.get('line_end'), x.get('text')
            if not (isinstance(line, int) and isinstance(end, int)):
                err(f'{f}: {fam}: line and line_end must be integers')
                continue
            if not (1 <= line <= end <= len(lines)):
                err(f'{f}: {fam}: bad range {line}-{end} (file has {len(lines)} lines)')
                continue
            if not isinstance(text, str) or not text.strip():
                err(f'{f}: {fam}: line {line}: empty text')
            elif text not in lines[line - 1]:
                err(f'{f}: {fam}: line {line}: text {text!r} not on that line')
            if (fam, line) in keys:
                err(f'{f}: {fam}: two labels start on line {line}')
            keys.add((fam, line))
        want = 'block' if blocking else ('warn' if findings else 'pass')
        if verdict in VERDICTS and verdict != want:
            err(f'{f}: verdict {verdict} but findings imply {want}')
        stats['documents'] += 1
        stats['lang'][lang] += 1
        stats['verdict'][verdict] += 1
        for fam in {x.get('family') for x in findings}:
            stats['family_docs'][fam] += 1
    for f in sorted(on_disk - seen):
        err(f'{f}: document not listed in labels.json')
    return stats


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    errors = []
    for name in SETS:
        if not os.path.isdir(os.path.join(root, name)):
            errors.append(f'{name}: folder missing')
            continue
        st = check_set(root, name, errors)
        if st is None:
            continue
        v = st['verdict']
        print(f'{name}: {st["documents"]} documents; lang '
              + ', '.join(f'{k}={st["lang"][k]}' for k in LANGS)
              + f'; verdict block={v["block"]} warn={v["warn"]} pass={v["pass"]}')
        for fam in FAMILIES:
            print(f'  {fam:15s} {st["family_labels"][fam]:4d} labels in '
                  f'{st["family_docs"][fam]:3d} documents')
        print(f'  (warn-level labels: {st["warn_labels"]})')
    for e in errors:
        print('error: ' + e, file=sys.stderr)
    if errors:
        print(f'{len(errors)} error(s)', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
