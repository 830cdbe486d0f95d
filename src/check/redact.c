/*
 * Redaction: the document with what Art. 9 forbids taken out, every other
 * byte unchanged.
 *
 * Findings of the families live_target, search_dork, credential, and the
 * exploit families (exploit_code, mass_scanner, webshell) carry a redaction
 * span in src and its replacement: "x.x.x.x" for an IPv4 address,
 * "[redacted-host]" for the host of a URL, "[redacted-dork]" for a query, a
 * masked secret, or (replacement NULL) a notice in the document's language
 * that replaces a whole code block. Suppressed findings are kept as they are:
 * a reviewer allowed them. Hype and no_remediation are not redacted (the
 * author must rewrite or add a fix; a tool cannot).
 *
 * Spans are sorted and merged; where two overlap the wider one wins, so a
 * code-block notice swallows the addresses inside it.
 *
 * One pass is not always enough: a finding can depend on context that the
 * pass removes (a password that the exploit itself set is the attacker's
 * own, and is not reported; once the exploit block is a notice, nothing
 * says so). emb_check_redact_settled() checks the copy again and redacts
 * what it still reports.
 */
#include <stdlib.h>
#include <string.h>

#include "check/scan_int.h"
#include "util/alloc.h"

struct span {
    size_t s, e;
    const char *with; /* NULL: the code notice */
};

static int
cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;

    if (x->s != y->s)
        return x->s < y->s ? -1 : 1;
    return x->e > y->e ? -1 : x->e < y->e; /* wider first */
}

static bool
redactable(enum emb_check_family f)
{
    return f == EMB_FAM_LIVE_TARGET || f == EMB_FAM_SEARCH_DORK || f == EMB_FAM_CREDENTIAL ||
           f == EMB_FAM_EXPLOIT_CODE || f == EMB_FAM_MASS_SCANNER || f == EMB_FAM_WEBSHELL;
}

/* Whether @a r still holds a blocking, unsuppressed finding that redaction masks. */
static bool
redact_pending(const struct emb_check_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const struct emb_check_finding *f = &r->f[i];
        if (!f->suppressed && f->severity == EMB_SEV_BLOCK && redactable(f->rule->family) &&
            f->redact_end > f->redact_start &&
            (f->redact_with == NULL || f->redact_with[0] != '\0'))
            return true;
    }
    return false;
}

enum emb_rc
emb_check_redact(const struct emb_doc *doc, const struct emb_check_report *r, struct emb_buf *out)
{
    struct span *sp = emb_calloc(r->n ? r->n : 1, sizeof *sp);
    size_t n = 0, pos = 0;
    bool zh = emb_check_doc_is_zh(doc->text, doc->text_len);
    const char *notice =
        zh ? "[此处的漏洞利用代码已删除：依《网络产品安全漏洞管理规定》第九条第四项不得发布]"
           : "[exploit code removed: RMSV Art. 9(4) forbids publishing it]";
    enum emb_rc rc = EMB_OK;

    for (size_t i = 0; i < r->n; i++) {
        const struct emb_check_finding *f = &r->f[i];
        if (f->suppressed || !redactable(f->rule->family) || f->redact_end <= f->redact_start)
            continue;
        if (f->redact_with != NULL && f->redact_with[0] == '\0')
            continue;
        sp[n++] = (struct span){ f->redact_start, f->redact_end, f->redact_with };
    }
    if (n > 1)
        qsort(sp, n, sizeof *sp, cmp_span);
    for (size_t i = 0; i < n && rc == EMB_OK; i++) {
        if (sp[i].s < pos) /* inside a wider span already written */
            continue;
        if (sp[i].e > doc->src_len)
            sp[i].e = doc->src_len;
        rc = emb_buf_append(out, doc->src + pos, sp[i].s - pos);
        if (rc == EMB_OK)
            rc = emb_buf_puts(out, sp[i].with ? sp[i].with : notice);
        /* a code block's content ends with its newline: the notice keeps one */
        if (rc == EMB_OK && sp[i].with == NULL && sp[i].e > sp[i].s &&
            doc->src[sp[i].e - 1] == '\n')
            rc = emb_buf_putc(out, '\n');
        pos = sp[i].e;
    }
    if (rc == EMB_OK)
        rc = emb_buf_append(out, doc->src + pos, doc->src_len - pos);
    if (rc == EMB_OK && out->data == NULL)
        rc = emb_buf_puts(out, "");
    free(sp);
    return rc;
}

enum emb_rc
emb_check_redact_settled(const struct emb_check *c, struct emb_check_scratch *s,
                         const struct emb_doc *doc, const struct emb_check_report *r,
                         const char *path, const struct emb_check_allow *al, struct emb_buf *out)
{
    enum emb_rc rc = emb_check_redact(doc, r, out);

    for (int round = 1; rc == EMB_OK && round < EMB_CHECK_REDACT_ROUNDS; round++) {
        struct emb_doc d2;
        struct emb_doc_err derr;
        struct emb_doc_opts dopts = { .kind = (int)doc->kind };
        struct emb_check_report r2;
        struct emb_buf o2 = EMB_BUF_INIT((size_t)EMB_DOC_MAX_BYTES * 2);
        bool pending;

        if (out->len == 0 || out->len > EMB_DOC_MAX_BYTES ||
            emb_doc_load(path, out->data, out->len, &dopts, &d2, &derr) != EMB_OK)
            break;
        if (emb_check_scan(c, s, &d2, &r2) != EMB_OK) {
            emb_doc_free(&d2);
            break;
        }
        emb_check_suppress(&r2, &d2, path, al);
        pending = redact_pending(&r2);
        if (pending && (rc = emb_check_redact(&d2, &r2, &o2)) == EMB_OK) {
            emb_buf_free(out);
            *out = o2; /* the buffer moves: o2 is not used again */
        } else {
            emb_buf_free(&o2);
        }
        emb_check_report_free(&r2);
        emb_doc_free(&d2);
        if (!pending)
            break;
    }
    return rc;
}
