/*
 * Pub (Dart) versions: pub_semver's Version.compareTo. Precedence is SemVer's
 * (numbers, then pre-release, none above any), but unlike SemVer the build
 * metadata then orders too: no build is below any build, and builds compare
 * identifier by identifier like pre-releases (1.2.3+1 < 1.2.3+a, 1.2.3+a <
 * 1.2.3+a1). The parser is version_semver.c's lenient one, because OSV's Pub
 * data carries versions pub itself would reject (a bare "1", four numbers);
 * emb_version_check(strict) holds them to the SemVer grammar.
 */
#include "formats/version_int.h"

enum emb_rc
emb_ver_pub_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    return emb_ver_semver_cmp(VER_SEMVER_PUB, a, al, b, bl, out);
}

enum emb_rc
emb_ver_pub_check(const char *s, size_t len)
{
    return emb_ver_semver_check(VER_SEMVER_PUB, s, len);
}
