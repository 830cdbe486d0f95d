/*
 * Spec arrays shared by the statement files of every backend (STYLE.md
 * section 8): a statement binds its parameters from an array of struct
 * emb_sqlp (?1/$1, ?2/$2, ... in array order) and reads its result columns
 * into an array of struct emb_sqlr (column 0, 1, ... in array order). Values
 * are always bound, never pasted into SQL text. The same arrays drive the
 * SQLite binder (src/store/sqlite/db.c) and the PostgreSQL one
 * (src/store/pg/db.c), so a statement file ports from one backend to the
 * other by changing only its SQL.
 */
#ifndef EMB_STORE_SQLSPEC_H
#define EMB_STORE_SQLSPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A statement whose best plan depends on its parameter values (a filter that
 * matches a million rows for one value and none for another, "?1 = '' OR"
 * switches) starts with this comment. PostgreSQL plans such a statement on
 * every call (an unnamed statement, PQexecParams) instead of preparing it
 * once. A prepared statement is planned for its values too, but only until
 * its generic plan looks no costlier than the custom ones so far; the
 * generic plan of a state or provider filter walks the primary key and
 * filters (about a second per call for a state no case is in, at a million
 * cases: EXPLAIN ANALYZE with plan_cache_mode = force_generic_plan), so the
 * choice is not left to that estimate. Planning every call is what the
 * custom plans cost anyway. SQLite plans at prepare without looking at the
 * values, so for it this is a comment; its statements are split by filter
 * shape where that matters (stmt/case_list.c).
 */
#define EMB_SQL_PLAN_EACH "/* plan each call */ "

enum emb_sqlp_type {
    EMB_SQLP_T_END = 0,
    EMB_SQLP_T_I64,  /* PG: int8 */
    EMB_SQLP_T_TEXT, /* PG: text */
    EMB_SQLP_T_BLOB, /* PG: bytea */
    EMB_SQLP_T_BOOL, /* SQLite: integer 0/1; PG: boolean */
};

/** One bound parameter. len (size_t)-1 on TEXT: NUL-terminated. */
struct emb_sqlp {
    enum emb_sqlp_type type;
    int64_t i;
    const void *p;
    size_t len;
};

#define EMB_SQLP_I64(v)                       \
    {                                         \
        EMB_SQLP_T_I64, (int64_t)(v), NULL, 0 \
    }
#define EMB_SQLP_BOOL(v)                                 \
    {                                                    \
        EMB_SQLP_T_BOOL, (int64_t)((v) ? 1 : 0), NULL, 0 \
    }
#define EMB_SQLP_TEXT(s)                    \
    {                                       \
        EMB_SQLP_T_TEXT, 0, (s), (size_t)-1 \
    }
/* text of an exact byte length (need not be NUL-terminated) */
#define EMB_SQLP_TEXTN(s, n)         \
    {                                \
        EMB_SQLP_T_TEXT, 0, (s), (n) \
    }
#define EMB_SQLP_BLOB(p, n)          \
    {                                \
        EMB_SQLP_T_BLOB, 0, (p), (n) \
    }
#define EMB_SQLP_END               \
    {                              \
        EMB_SQLP_T_END, 0, NULL, 0 \
    }

enum emb_sqlr_type {
    EMB_SQLR_T_END = 0,
    EMB_SQLR_T_I64,      /* int64_t * */
    EMB_SQLR_T_BOOL,     /* bool * */
    EMB_SQLR_T_TEXT,     /* char[cap]: longer values are a hard error (corrupt row) */
    EMB_SQLR_T_BLOB_FIX, /* exactly cap bytes */
    EMB_SQLR_T_BLOB_BUF, /* struct emb_buf * (reset, then filled; its max bounds it): the
                          * bytes of a blob or of a text column */
    EMB_SQLR_T_ENUM,     /* int *; text name mapped by from() */
};

/** One result column. */
struct emb_sqlr {
    enum emb_sqlr_type type;
    void *dst;
    size_t cap;
    int (*from)(const char *name);
};

#define EMB_SQLR_I64(p)              \
    {                                \
        EMB_SQLR_T_I64, (p), 0, NULL \
    }
#define EMB_SQLR_BOOL(p)              \
    {                                 \
        EMB_SQLR_T_BOOL, (p), 0, NULL \
    }
#define EMB_SQLR_TEXT(arr)                        \
    {                                             \
        EMB_SQLR_T_TEXT, (arr), sizeof(arr), NULL \
    }
/* text into a char array of @a cap bytes given by pointer */
#define EMB_SQLR_TEXTP(ptr, cap)            \
    {                                       \
        EMB_SQLR_T_TEXT, (ptr), (cap), NULL \
    }
#define EMB_SQLR_BLOB_FIX(arr)                        \
    {                                                 \
        EMB_SQLR_T_BLOB_FIX, (arr), sizeof(arr), NULL \
    }
#define EMB_SQLR_BLOB_BUF(b)              \
    {                                     \
        EMB_SQLR_T_BLOB_BUF, (b), 0, NULL \
    }
#define EMB_SQLR_ENUM(p, fromfn)          \
    {                                     \
        EMB_SQLR_T_ENUM, (p), 0, (fromfn) \
    }
#define EMB_SQLR_END                  \
    {                                 \
        EMB_SQLR_T_END, NULL, 0, NULL \
    }

#endif
