/*
 * GB/T 30279-2020 信息安全技术 网络安全漏洞分类分级指南: classification by cause
 * (chapter 5) and grading (chapter 6, Annexes A-E) from a stored vector.
 *
 * Vector syntax (docs/gbt30279.md):
 *
 *     GBT30279/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H[/E:L][/RL:M][/S:H]
 *
 * The seven exploitability and impact factors are required; the three
 * environment factors are optional, and the comprehensive grade exists only
 * when all three are given. The tables live in gbt30279_tables.def and are an
 * UNVERIFIED third-party transcription (REGULATION.md 3.1).
 */
#ifndef EMB_GBT30279_H
#define EMB_GBT30279_H

#include <stdbool.h>
#include <stddef.h>

#include "util/rc.h"

/** Longest accepted vector text, in bytes (the longest valid one is 53). */
#define EMB_GBT_VECTOR_MAX 64
/** The vector prefix: standard number; the edition (2020) is implied. */
#define EMB_GBT_PREFIX "GBT30279/"

enum emb_gbt_grade {
    EMB_GBT_NONE = 0, /* not computed (comprehensive grade without all environment factors) */
    EMB_GBT_LOW = 1,  /* 低危 */
    EMB_GBT_MEDIUM,   /* 中危 */
    EMB_GBT_HIGH,     /* 高危 */
    EMB_GBT_CRITICAL, /* 超危 */
};

/** The ten factors, in canonical vector order. */
enum emb_gbt_factor {
    EMB_GBT_AV, /* 访问路径 access path */
    EMB_GBT_AC, /* 触发要求 trigger requirement */
    EMB_GBT_PR, /* 权限需求 privilege required */
    EMB_GBT_UI, /* 交互条件 interaction */
    EMB_GBT_C,  /* 保密性 confidentiality */
    EMB_GBT_I,  /* 完整性 integrity */
    EMB_GBT_A,  /* 可用性 availability */
    EMB_GBT_E,  /* 被利用成本 cost of exploitation */
    EMB_GBT_RL, /* 修复难度 difficulty of fixing */
    EMB_GBT_S,  /* 影响范围 scope of affected assets */
    EMB_GBT_NFACTORS
};

enum emb_gbt_group {
    EMB_GBT_EXPL,   /* 被利用性 exploitability */
    EMB_GBT_IMPACT, /* 影响程度 impact */
    EMB_GBT_ENV,    /* 环境因素 environment */
};

/** A parsed vector: one value letter per factor ('N', 'L', ...), 0 if absent. */
struct emb_gbt_vector {
    char v[EMB_GBT_NFACTORS];
};

struct emb_gbt_result {
    int exploitability;               /* Annex A, 1..9 */
    int impact;                       /* Annex B, 1..9 */
    int environment;                  /* Annex C, 1..9; 0 unless E, RL and S are all given */
    enum emb_gbt_grade technical;     /* Annex D */
    enum emb_gbt_grade comprehensive; /* Annex E; EMB_GBT_NONE when environment is 0 */
};

enum emb_gbt_errcode {
    EMB_GBT_ERR_NONE = 0,
    EMB_GBT_ERR_SYNTAX,       /* not a well-formed vector */
    EMB_GBT_ERR_NOT_GRADABLE, /* C, I and A are all N (无) */
    EMB_GBT_ERR_LIMIT,        /* longer than EMB_GBT_VECTOR_MAX */
};

struct emb_gbt_err {
    enum emb_gbt_errcode code;
    size_t at;     /* byte offset in the input */
    char msg[160]; /* one-line reason, no trailing period; may contain UTF-8 */
};

/** Classification entry (chapter 5). Strings are static. */
struct emb_gbt_class {
    const char *key;    /* stable: "code.input"; the four top classes have no dot */
    const char *parent; /* "" for a top class */
    const char *clause; /* "5.2.2" (2019 draft numbering) */
    const char *zh;     /* 输入验证错误 */
    const char *en;     /* input validation errors */
};

/**
 * Parse a vector.
 * @param s    borrowed; need not be NUL-terminated
 * @param out  set on EMB_OK only
 * @param err  may be NULL; on failure gets a code, offset and reason
 * @return EMB_OK; EMB_ELIMIT if @a len > EMB_GBT_VECTOR_MAX; EMB_EINVAL for a
 *         malformed vector or one that is not gradable (C=I=A=N)
 */
enum emb_rc emb_gbt_parse(const char *s, size_t len, struct emb_gbt_vector *out,
                          struct emb_gbt_err *err);

/**
 * Grade a vector with Annexes A-E.
 * @param v    borrowed; normally from emb_gbt_parse()
 * @param out  set on EMB_OK only
 * @return EMB_OK, or EMB_EINVAL (err set) if @a v is incomplete, holds an
 *         unknown value or is not gradable
 */
enum emb_rc emb_gbt_grade(const struct emb_gbt_vector *v, struct emb_gbt_result *out,
                          struct emb_gbt_err *err);

/**
 * Write the canonical text of @a v (prefix, factors in enum order, absent
 * environment factors left out) into @a out[0..cap), NUL-terminated.
 * @return EMB_OK, or EMB_ELIMIT if @a cap is too small (EMB_GBT_VECTOR_MAX + 1
 *         is always enough)
 */
enum emb_rc emb_gbt_format(const struct emb_gbt_vector *v, char *out, size_t cap);

/** Grade names: "超危", "critical", "critical" (key); "" for EMB_GBT_NONE. Static. */
const char *emb_gbt_grade_zh(enum emb_gbt_grade g);
const char *emb_gbt_grade_en(enum emb_gbt_grade g);

/** Factor metadata; static strings ("AV", "访问路径", "access path"). */
const char *emb_gbt_factor_abbr(enum emb_gbt_factor f);
const char *emb_gbt_factor_zh(enum emb_gbt_factor f);
const char *emb_gbt_factor_en(enum emb_gbt_factor f);
enum emb_gbt_group emb_gbt_factor_group(enum emb_gbt_factor f);
/** Names of value @a letter of factor @a f ("网络", "network"); NULL if not a value of @a f. */
const char *emb_gbt_value_zh(enum emb_gbt_factor f, char letter);
const char *emb_gbt_value_en(enum emb_gbt_factor f, char letter);

/**
 * Raw annex lookups (the tables exactly as stored), for tests and for showing
 * the working. Arguments are value letters or 1..9 values.
 * @return the value 1..9 or grade; 0 / EMB_GBT_NONE for arguments outside the
 *         table (Annex B: counts not summing to 3, or 0 H and 0 L)
 */
int emb_gbt_annex_a(char av, char ac, char pr, char ui);
int emb_gbt_annex_b(int n_high, int n_low, int n_none);
int emb_gbt_annex_c(char s, char e, char rl);
enum emb_gbt_grade emb_gbt_annex_d(int exploitability, int impact);
enum emb_gbt_grade emb_gbt_annex_e(enum emb_gbt_grade technical, int environment);

/** All classes, top classes and sub-classes in table order. Borrowed, static. */
const struct emb_gbt_class *emb_gbt_classes(size_t *n);
/** The class with @a key, or NULL. @a key borrowed, need not be NUL-terminated. */
const struct emb_gbt_class *emb_gbt_class_find(const char *key, size_t len);
/** The sub-class a CWE id maps to; the "other" class for an unmapped id. Never NULL. */
const struct emb_gbt_class *emb_gbt_class_of_cwe(unsigned cwe);
/**
 * CWE ids mapped to @a cls (a sub-class key), in table order, into
 * @a out[0..cap). @return how many there are (may exceed cap; only cap written).
 */
size_t emb_gbt_class_cwes(const struct emb_gbt_class *cls, unsigned *out, size_t cap);

/** One line saying the tables are an unverified transcription (shown with every grade). */
extern const char emb_gbt_table_notice[];

#endif
