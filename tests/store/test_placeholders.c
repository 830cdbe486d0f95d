/*
 * The rewriting of the shared statements' placeholders for PostgreSQL
 * (emb_sql_placeholders_pg, store/stmt/stmt.h): ?N becomes $N outside
 * string literals, quoted identifiers and comments; anonymous, zero,
 * leading-zero and too-large placeholders, unterminated quotes and comments
 * are refused; the output buffer's limit at max and max+1. The shared
 * statements themselves run on both backends in the conformance suite.
 */
#include <string.h>

#include "store/stmt/stmt.h"
#include "t.h"

static void
expect(const char *in, const char *want)
{
    char out[512];

    T_EQ_INT(emb_sql_placeholders_pg(in, out, sizeof(out)), EMB_OK);
    T_EQ_STR(out, want);
    T_EQ_INT((long long)strlen(out), (long long)strlen(in));
}

static void
refused(const char *in)
{
    char out[512];

    T_EQ_INT(emb_sql_placeholders_pg(in, out, sizeof(out)), EMB_EINVAL);
    T_OK(strlen(out) > 0); /* a message, not the input */
    T_OK(strstr(out, " at byte ") != NULL);
}

static void
test_rewrite(void)
{
    expect("", "");
    expect("SELECT 1", "SELECT 1");
    expect("SELECT a FROM t WHERE id = ?1", "SELECT a FROM t WHERE id = $1");
    expect("?1?2", "$1$2");
    expect("VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
    expect("LIMIT ?10", "LIMIT $10");
    /* literals, identifiers and comments are copied as they are */
    expect("SELECT '?1', \"?2\", ?3", "SELECT '?1', \"?2\", $3");
    expect("SELECT 'it''s ?1' || ?1", "SELECT 'it''s ?1' || $1");
    expect("SELECT \"a\"\"?1\" FROM t WHERE x = ?2", "SELECT \"a\"\"?1\" FROM t WHERE x = $2");
    expect("SELECT 1 -- ?? ?1 '\n, ?2", "SELECT 1 -- ?? ?1 '\n, $2");
    expect("SELECT 1 -- ?1 at the end", "SELECT 1 -- ?1 at the end");
    expect("SELECT /* ?1 ' \" */ ?2", "SELECT /* ?1 ' \" */ $2");
    expect("WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' AND a = ?1",
           "WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' AND a = $1");
    /* the largest number, and one more */
    expect("?32766", "$32766");
    refused("?32767");
    refused("?99999999999999999999");
    /* not portable */
    refused("?");
    refused("SELECT ?");
    refused("??");
    refused("?? ?1");
    refused("?0");
    refused("?01");
    refused("?a");
    refused("SELECT 'open");
    refused("SELECT \"open");
    refused("SELECT /* open");
    refused("SELECT /* open *");
}

static void
test_limit(void)
{
    const char *in = "SELECT ?1";
    size_t n = strlen(in);
    char out[16];

    memset(out, 'x', sizeof(out));
    T_EQ_INT(emb_sql_placeholders_pg(in, out, n + 1),
             EMB_OK); /* max: exactly the text and its NUL */
    T_EQ_STR(out, "SELECT $1");
    memset(out, 'x', sizeof(out));
    T_EQ_INT(emb_sql_placeholders_pg(in, out, n), EMB_ELIMIT); /* max+1 bytes of text */
    T_EQ_INT(out[0], '\0');
    T_EQ_INT(out[n], 'x'); /* nothing written past the buffer */
    memset(out, 'x', sizeof(out));
    T_EQ_INT(emb_sql_placeholders_pg(in, out, 0), EMB_ELIMIT);
    T_EQ_INT(out[0], 'x'); /* cap 0: nothing written */
    /* a message longer than the buffer is cut and NUL-terminated inside it */
    memset(out, 'x', sizeof(out));
    T_EQ_INT(emb_sql_placeholders_pg("??", out, 3), EMB_EINVAL);
    T_EQ_INT(out[2], '\0');
}

int
main(void)
{
    T_RUN(test_rewrite);
    T_RUN(test_limit);
    return T_DONE();
}
