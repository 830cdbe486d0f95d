/*
 * placeholders: rewrite the shared statements' SQLite placeholders (?N) as
 * PostgreSQL's ($N) before the PostgreSQL executor prepares them, skipping
 * string literals, quoted identifiers and comments (contract in stmt.h).
 */
#include <stdio.h>
#include <string.h>

#include "store/stmt/stmt.h"

/* Fail with a message in @a out (when it fits). */
static enum emb_rc
refuse(char *out, size_t cap, const char *why, size_t at)
{
    if (cap > 0)
        snprintf(out, cap, "%s at byte %zu", why, at);
    return EMB_EINVAL;
}

enum emb_rc
emb_sql_placeholders_pg(const char *sql, char *out, size_t cap)
{
    size_t n = strlen(sql), i = 0;

    if (cap < n + 1) {
        if (cap > 0)
            out[0] = '\0';
        return EMB_ELIMIT;
    }
    memcpy(out, sql, n + 1);
    while (i < n) {
        char c = sql[i];

        if (c == '\'' || c == '"') { /* literal or identifier; a doubled quote is two of them */
            const char *end = memchr(sql + i + 1, c, n - i - 1);
            if (end == NULL)
                return refuse(out, cap,
                              c == '\'' ? "unterminated string" : "unterminated identifier", i);
            i = (size_t)(end - sql) + 1;
        } else if (c == '-' && sql[i + 1] == '-') {
            const char *end = memchr(sql + i, '\n', n - i);
            i = end ? (size_t)(end - sql) + 1 : n;
        } else if (c == '/' && sql[i + 1] == '*') {
            const char *end = strstr(sql + i + 2, "*/");
            if (end == NULL)
                return refuse(out, cap, "unterminated comment", i);
            i = (size_t)(end - sql) + 2;
        } else if (c == '?') {
            size_t j = i + 1;
            long v = 0;

            if (sql[j] < '1' || sql[j] > '9')
                return refuse(out, cap, "placeholder is not ?N", i);
            while (sql[j] >= '0' && sql[j] <= '9' && v <= EMB_SQL_PLACEHOLDER_MAX)
                v = v * 10 + (sql[j++] - '0');
            if (v > EMB_SQL_PLACEHOLDER_MAX)
                return refuse(out, cap, "placeholder number too large", i);
            out[i] = '$';
            i = j;
        } else {
            i++;
        }
    }
    return EMB_OK;
}
