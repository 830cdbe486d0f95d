/*
 * Fuzz target for src/formats/version*.c. The first byte picks the ecosystem
 * (or EMB_FUZZ_ECO=<OSV name> fixes it, to spend a run on one family); the
 * rest is up to three versions separated by '\n'. Checks, for every
 * comparator: reflexivity (cmp(a,a) == 0), antisymmetry (cmp(a,b) ==
 * -cmp(b,a), and both calls fail or succeed together), transitivity on three
 * versions, and that ranges and constraints built from the input never crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/version.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum emb_ecosystem fixed_eco = EMB_ECO_UNKNOWN;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *e = getenv("EMB_FUZZ_ECO");

    (void)argc;
    (void)argv;
    if (e != NULL && (fixed_eco = emb_ecosystem_parse(e)) == EMB_ECO_UNKNOWN)
        abort();
    return 0;
}

static int
cmp(enum emb_ecosystem eco, const char *a, size_t al, const char *b, size_t bl, enum emb_rc *rc)
{
    int out = 0;

    *rc = emb_version_cmp(eco, a, al, b, bl, &out);
    if (*rc == EMB_OK && out != -1 && out != 0 && out != 1)
        abort();
    return out;
}

/*
 * Orders that are total by construction. Three are not, because the
 * fixtures they must match encode an intransitive relation: PHP's
 * version_compare (1.2.3.# == 1.2.3 and 1.2.3.# == 1.2.3.1, yet 1.2.3.1 >
 * 1.2.3); Maven's ".qualifier" < "-qualifier" rule, which the generated
 * fixtures pin (1.5.9.RC1 < 1.5.9-RC0) and which is cyclic in Maven itself
 * (1-alpha1 < 1 < 1.foo < 1-alpha1); and apk's tolerance for malformed
 * versions (1-ruff2 == 1--ruff1 while malformed ones order among
 * themselves). For Alpine, well-formed versions must still be transitive.
 */
static bool
transitive(enum emb_ecosystem eco, const char *const *part, const size_t *len)
{
    if (eco == EMB_ECO_PACKAGIST || eco == EMB_ECO_MAVEN)
        return false;
    if (eco != EMB_ECO_ALPINE && eco != EMB_ECO_CHAINGUARD && eco != EMB_ECO_WOLFI &&
        eco != EMB_ECO_MINIMOS && eco != EMB_ECO_ALPAQUITA)
        return true;
    for (size_t i = 0; i < 3; i++)
        if (emb_version_check(eco, part[i], len[i], true) != EMB_OK)
            return false;
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data, *part[3];
    size_t len[3], n = 0;
    enum emb_ecosystem eco;
    enum emb_rc r1, r2, r3;
    int ab, ba, bc, ac;

    if (size < 1)
        return 0;
    eco = fixed_eco != EMB_ECO_UNKNOWN ? fixed_eco : (enum emb_ecosystem)(data[0] % EMB_ECO_COUNT_);
    s++, size--;
    while (n < 3) {
        const char *nl = memchr(s, '\n', size);
        size_t l = nl ? (size_t)(nl - s) : size;
        part[n] = s, len[n] = l, n++;
        if (nl == NULL)
            break;
        s = nl + 1, size -= l + 1;
    }
    for (size_t i = 0; i < n; i++) {
        int self = cmp(eco, part[i], len[i], part[i], len[i], &r1);
        if (r1 == EMB_OK && self != 0)
            abort(); /* reflexivity */
    }
    if (n < 2)
        return 0;
    ab = cmp(eco, part[0], len[0], part[1], len[1], &r1);
    ba = cmp(eco, part[1], len[1], part[0], len[0], &r2);
    if ((r1 == EMB_OK) != (r2 == EMB_OK))
        abort();
    if (r1 == EMB_OK && ab != -ba)
        abort(); /* antisymmetry */
    if (n == 3 && r1 == EMB_OK) {
        bc = cmp(eco, part[1], len[1], part[2], len[2], &r2);
        ac = cmp(eco, part[0], len[0], part[2], len[2], &r3);
        if (r2 == EMB_OK && r3 == EMB_OK && transitive(eco, part, len)) {
            if (ab <= 0 && bc <= 0 && ac > 0)
                abort(); /* transitivity */
            if (ab >= 0 && bc >= 0 && ac < 0)
                abort();
            if (ab == 0 && bc == 0 && ac != 0)
                abort();
        }
        {
            struct emb_range_event ev[2] = { { EMB_EVENT_INTRODUCED, part[1], len[1] },
                                             { EMB_EVENT_FIXED, part[2], len[2] } };
            struct emb_version_range rg = { EMB_RANGE_ECOSYSTEM, ev, 2 };
            bool in = false, zero = len[1] == 1 && part[1][0] == '0';
            if (emb_version_in_range(eco, part[0], len[0], &rg, &in) == EMB_OK && r2 == EMB_OK &&
                r3 == EMB_OK && bc < 0 && in != ((ab >= 0 || zero) && ac < 0))
                abort(); /* introduced b, fixed c: a is in iff b <= a < c ("0": -inf) */
        }
    }
    {
        bool m = false;
        (void)emb_version_constraint_match(eco, part[1], len[1], part[0], len[0], &m);
        (void)emb_version_constraint_check(eco, part[1], len[1]);
    }
    return 0;
}
