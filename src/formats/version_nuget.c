/*
 * NuGet versions (NuGet.Versioning's NuGetVersion and VersionComparer):
 * SemVer 2.0.0 precedence with up to four release numbers (the legacy
 * System.Version "Revision" part: 1.0.0.1 > 1.0.0, 1.0 == 1.0.0.0), leading
 * zeros allowed (1.0.01 == 1.0.1), release labels compared without ASCII case
 * (1.0.0-BETA == 1.0.0-beta) and build metadata ignored. Parsing and field
 * comparison are version_semver.c's, in its NuGet mode; a fifth number is
 * EMB_EINVAL as it is in NuGet.
 */
#include "formats/version_int.h"

enum emb_rc
emb_ver_nuget_cmp(const char *a, size_t al, const char *b, size_t bl, int *out)
{
    return emb_ver_semver_cmp(VER_SEMVER_NUGET, a, al, b, bl, out);
}

enum emb_rc
emb_ver_nuget_check(const char *s, size_t len)
{
    return emb_ver_semver_check(VER_SEMVER_NUGET, s, len);
}
