/*
 * Fuzz target for src/http/jspec.c: the input is a JSON body applied to a
 * spec that uses every field type, nested objects and an array of objects.
 * On success every output must respect its limit; on failure the reply must
 * be a 400 or 413 whose body is valid JSON naming a registry error.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http1.h"
#include "http/jspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct item {
    const char *cwe;
    int64_t score;
    const char *refs[3];
    size_t nrefs;
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const sev[] = { "low", "medium", "high", NULL };
    struct emb_http1_req head = { .nheaders = 1 };
    struct emb_req rq = { .head = &head, .arena = EMB_ARENA_INIT(1 << 20) };
    const char *title = NULL, *note = NULL, *tags[4] = { 0 }, *vendor = NULL;
    int64_t n = 0, at = 0;
    bool b = false, ob = false, has_meta = false;
    int e = -1;
    size_t ntags = 0, nitems = 0;
    struct item items[4];
    const struct emb_jfield ispec[] = {
        EMB_JF_STR("cwe", &items[0].cwe, 32),
        EMB_JF_OPT_INT("score", &items[0].score, 0, 10),
        EMB_JF_OPT_ARRAY_STR("refs", items[0].refs, 3, 16, &items[0].nrefs),
        EMB_JF_END,
    };
    const struct emb_jfield mspec[] = { EMB_JF_OPT_STR("vendor", &vendor, 8), EMB_JF_END };
    const struct emb_jfield spec[] = {
        EMB_JF_STR("title", &title, 20),
        EMB_JF_OPT_STR("note", &note, 5),
        EMB_JF_OPT_INT("n", &n, -5, 5),
        EMB_JF_OPT_BOOL("b", &b),
        EMB_JF_OPT_BOOL("ob", &ob),
        EMB_JF_OPT_ENUM("sev", &e, sev),
        EMB_JF_OPT_TIME("at", &at),
        EMB_JF_OPT_ARRAY_STR("tags", tags, 4, 6, &ntags),
        EMB_JF_OPT_OBJECT("meta", mspec, &has_meta),
        EMB_JF_OPT_ARRAY_OBJ("items", ispec, items, 4, &nitems),
        EMB_JF_END,
    };

    memset(items, 0, sizeof items);
    head.headers[0].name = EMB_SLICE_LIT("Content-Type");
    head.headers[0].value = EMB_SLICE_LIT("application/json");
    emb_buf_init(&rq.out, 1 << 16);
    if (emb_json_parse(&rq, (const char *)data, size, spec) == EMB_OK) {
        if (rq.status != 0 || title == NULL || strlen(title) > 20 || (note && strlen(note) > 5) ||
            n < -5 || n > 5 || e < -1 || e > 2 || ntags > 4 || nitems > 4)
            abort();
        for (size_t i = 0; i < ntags; i++)
            if (strlen(tags[i]) > 6)
                abort();
        for (size_t i = 0; i < nitems; i++)
            if (items[i].cwe == NULL || strlen(items[i].cwe) > 32 || items[i].nrefs > 3)
                abort();
    } else {
        json_t *o = json_loadb(rq.out.data, rq.out.len, 0, NULL);
        if ((rq.status != 400 && rq.status != 413) || o == NULL ||
            !json_is_string(json_object_get(o, "name")))
            abort();
        json_decref(o);
    }
    emb_buf_free(&rq.out);
    emb_arena_free(&rq.arena);
    return 0;
}
