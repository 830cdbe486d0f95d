/*
 * Differential fuzz of the tree-less case codec (src/core/json_domain.c over
 * util/jpull.h and util/jwrite.h) against the jansson path it replaces:
 *  - reader: json_loadb(JSON_REJECT_DUPLICATES) + emb_case_from_json and
 *    emb_case_from_json_bytes accept exactly the same inputs and, on accept,
 *    fill byte-identical structs (both zeroed first); every refusal says why;
 *  - writer: for the accepted case, and for a case whose every field is made
 *    from the input bytes (bad UTF-8, control characters, enums out of
 *    range, counts over the maximum, unset and unprintable times), the
 *    writer's text equals jansson's dump of emb_case_json with the same four
 *    flag combinations, the details object and the case reply's
 *    case-plus-"details" object likewise;
 *  - round trip: what the writer prints for an accepted case parses back to
 *    the same struct.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t jansson_flags[4] = { JSON_COMPACT, JSON_COMPACT | JSON_ENSURE_ASCII,
                                         JSON_COMPACT | JSON_SORT_KEYS,
                                         JSON_COMPACT | JSON_ENSURE_ASCII | JSON_SORT_KEYS };
static const unsigned jw_flags[4] = { 0, EMB_JW_ASCII, EMB_JW_SORTED,
                                      EMB_JW_ASCII | EMB_JW_SORTED };

/* The writer must print exactly what jansson dumps of @a j (consumed). */
static void
same_text(json_t *j, size_t jflags, const struct emb_buf *b)
{
    char *text = json_dumps(j, jflags);

    if (text == NULL || strlen(text) != b->len || memcmp(text, b->data, b->len) != 0)
        abort();
    free(text);
    json_decref(j);
}

static void
check_writer(const struct emb_case *c, const struct emb_case_details *d)
{
    for (size_t i = 0; i < 4; i++) {
        struct emb_buf b = EMB_BUF_INIT(1u << 24);
        struct emb_jw w;
        json_t *j;

        if (emb_case_json_write(c, jw_flags[i], &b) != EMB_OK)
            abort();
        same_text(emb_case_json(c), jansson_flags[i], &b);

        emb_buf_reset(&b);
        emb_jw_init(&w, &b, jw_flags[i]);
        emb_case_details_json_write(&w, d);
        if (emb_jw_done(&w) != EMB_OK)
            abort();
        same_text(emb_case_details_json(d), jansson_flags[i], &b);

        /* the case reply of GET /api/v1/cases/{id} (h_case.c), unsorted */
        if (!(jw_flags[i] & EMB_JW_SORTED)) {
            emb_buf_reset(&b);
            emb_jw_init(&w, &b, jw_flags[i]);
            emb_jw_open(&w, '{');
            emb_case_json_members(&w, c);
            emb_jw_key(&w, "details");
            emb_case_details_json_write(&w, d);
            emb_jw_close(&w, '}');
            j = emb_case_json(c);
            json_object_set_new(j, "details", emb_case_details_json(d));
            same_text(j, jansson_flags[i], &b);
        }
        emb_buf_free(&b);
    }
}

/* Input bytes as a source of field values. */
struct src {
    const uint8_t *p;
    size_t n;
};

static unsigned
take(struct src *s)
{
    unsigned v = s->n ? *s->p : 0;

    if (s->n) {
        s->p++;
        s->n--;
    }
    return v;
}

static void
take_str(struct src *s, char *dst, size_t cap)
{
    size_t len = take(s) % cap;

    if (len > s->n)
        len = s->n;
    memcpy(dst, s->p, len); /* may hold NULs, bad UTF-8, control characters */
    dst[len] = '\0';
    s->p += len;
    s->n -= len;
}

static int64_t
take_time(struct src *s)
{
    static const int64_t t[] = { EMB_TIME_UNSET, 1772359200, -62135596800, 253402300799,
                                 253402300800,   INT64_MIN,  -1,           1 };

    return t[take(s) % EMB_ARRAY_LEN(t)];
}

/* Every kind of field of the tables, with values valid or not. */
static void
case_from_bytes(const uint8_t *data, size_t size, struct emb_case *c, struct emb_case_details *d)
{
    struct src s = { data, size };

    memset(c, 0, sizeof(*c));
    memset(d, 0, sizeof(*d));
    take_str(&s, c->id, sizeof(c->id));
    c->type = (enum emb_case_type)(take(&s) % 4);
    c->state = (enum emb_state)(take(&s) % (EMB_ST_COUNT + 2));
    c->aware_at = take_time(&s);
    take_str(&s, c->nvdb_ref, sizeof(c->nvdb_ref));
    c->upstream_component = take(&s) & 1;
    take_str(&s, c->discoverer, sizeof(c->discoverer));
    c->n_products = take(&s) % (EMB_PRODUCTS_MAX + 3);
    for (size_t i = 0; i < 3 && i < EMB_PRODUCTS_MAX; i++)
        take_str(&s, c->products[i].name, sizeof(c->products[i].name));
    c->n_vulns = take(&s) % 3;
    c->vulns[0].grade_technical = (enum emb_grade)(take(&s) % (EMB_GRADE_COUNT + 1));
    c->vulns[0].n_related = take(&s) % (EMB_RELATED_MAX + 2);
    for (size_t i = 0; i < 3; i++)
        take_str(&s, c->vulns[0].related[i], sizeof(c->vulns[0].related[i]));
    take_str(&s, c->vulns[0].harm, sizeof(c->vulns[0].harm));
    c->n_approvals = take(&s) % 2;
    c->approvals[0].role = take(&s) << 24;
    c->approvals[0].role |= take(&s);
    c->approvals[0].at = take_time(&s);
    c->n_attachments = take(&s) % 2;
    c->attachments[0].cls = (enum emb_attach_class)(take(&s) % (EMB_ATT_CLASS_COUNT + 1));
    c->severity_override.n_reviewers = take(&s) % (EMB_REVIEWERS_MAX + 2);
    take_str(&s, c->severity_override.reviewers[0], sizeof(c->severity_override.reviewers[0]));
    c->advisory.n_revisions = take(&s) % 2;
    c->advisory.revisions[0].n = take(&s) << 24;
    c->advisory.revisions[0].n |= take(&s);
    c->n_tasks = take(&s) % 2;
    c->tasks[0].done = take(&s) & 1;
    take_str(&s, d->title, sizeof(d->title));
    take_str(&s, d->contact, sizeof(d->contact));
    memcpy(d->location, data, size < sizeof(d->location) - 1 ? size : sizeof(d->location) - 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct emb_case a, b, back;
    static struct emb_case_details d;
    char ea[512], eb[512];
    json_error_t jerr;
    json_t *j;
    enum emb_rc ra, rb;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
    ra = j != NULL ? emb_case_from_json(j, &a, ea, sizeof(ea)) : EMB_EINVAL;
    json_decref(j);
    rb = emb_case_from_json_bytes((const char *)data, size, &b, eb, sizeof(eb));
    if ((ra == EMB_OK) != (rb == EMB_OK))
        abort(); /* the two readers disagree on this input */
    if (rb != EMB_OK && (rb != EMB_EINVAL || eb[0] == '\0'))
        abort(); /* every refusal is EMB_EINVAL and says why */
    if (ra == EMB_OK) {
        struct emb_buf text = EMB_BUF_INIT(1u << 24);
        if (memcmp(&a, &b, sizeof(a)) != 0)
            abort();
        memset(&d, 0, sizeof(d));
        memcpy(d.title, a.id, sizeof(a.id));
        check_writer(&a, &d);
        if (emb_case_json_write(&a, EMB_JW_SORTED, &text) != EMB_OK ||
            emb_case_from_json_bytes(text.data, text.len, &back, eb, sizeof(eb)) != EMB_OK ||
            memcmp(&a, &back, sizeof(a)) != 0)
            abort();
        emb_buf_free(&text);
    }
    case_from_bytes(data, size, &a, &d);
    check_writer(&a, &d);
    return 0;
}
