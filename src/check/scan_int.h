/*
 * Inside the check module: the per-document scan context shared by the
 * scanner (scan.c), the validators (validate.c) and the structure helpers
 * (structure.c). Not for other modules.
 */
#ifndef EMB_CHECK_SCAN_INT_H
#define EMB_CHECK_SCAN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check/check.h"
#include "check/rules_int.h"

/* Kinds of section heads, as a bit mask (a head may be several). */
enum {
    EMB_H_IOC = 1 << 0,      /* indicators of compromise, attacker infrastructure */
    EMB_H_REFS = 1 << 1,     /* references, links, sources */
    EMB_H_REMED = 1 << 2,    /* fix, mitigation, solution, workaround */
    EMB_H_REPRO = 1 << 3,    /* reproduction, PoC, exploit, verification */
    EMB_H_DORK = 1 << 4,     /* FOFA / Shodan / ... */
    EMB_H_TARGETS = 1 << 5,  /* affected sites, cases, asset lists */
    EMB_H_VERSIONS = 1 << 6, /* affected versions, version history */
};

/** A heading (Markdown/HTML) or a label line ("修复建议：", "**PoC**"). */
struct emb_head {
    size_t start, end;           /* the head's line in text */
    int level;                   /* 1..6 headings, 7 label lines */
    size_t cls_len;              /* bytes from start that name the head (the label part) */
    ptrdiff_t parent;            /* nearest enclosing head, or -1 */
    unsigned mask, known;        /* EMB_H_* of this head, and which bits are computed */
    unsigned chain, chain_known; /* the same for the head and its ancestors */
};

struct emb_hit {
    unsigned rule;
    size_t from, to; /* from is exact only for validate = none (start of match) */
};

/* find.c: C finders that replace canonical stage-1 expressions exactly */
enum emb_find_kind {
    EMB_FIND_IPV4 = 0, /* dotted quad */
    EMB_FIND_IPV4_D1,  /* first separator defanged ("1[.]2.3.4") */
    EMB_FIND_IPV4_D2,  /* second separator defanged */
    EMB_FIND_IPV4_D3,  /* third separator defanged */
    EMB_FIND_IPV6,
    EMB_FIND_HOST,       /* host name by its TLD */
    EMB_FIND_PAIR_SEP,   /* credential.pair: user name, a symbol, two more ("admin@12") */
    EMB_FIND_PAIR_SLASH, /* credential.pair: "name / pass" around a slash */
    EMB_FIND_GH_TOKEN,   /* credential.token: GitHub tokens (ghp_ and kin) */
    EMB_FIND_DORK_EQ,    /* search_dork.fofa: a field name, "=" or "==", a quote */
    EMB_FIND_DORK_COLON, /* search_dork.shodan: a field name, ":", a quote */
    EMB_FIND_COUNT
};
#define EMB_FIND_IPV4_ANY 0xfu
#define EMB_FIND_CRED_ANY \
    ((1u << EMB_FIND_PAIR_SEP) | (1u << EMB_FIND_PAIR_SLASH) | (1u << EMB_FIND_GH_TOKEN))

struct emb_find_pattern {
    const char *expr; /* the expression, exactly as in a rule file */
    bool caseless;    /* the rule's caseless flag it must be compiled with */
};
extern const struct emb_find_pattern emb_find_patterns[EMB_FIND_COUNT];

/** The finder that implements @a pattern compiled with @a caseless, or -1. */
int emb_find_of(const char *pattern, bool caseless);
/** Is s[0..n) one of the top-level domains the host finder knows (caseless),
 * not a weak one? */
bool emb_find_is_tld(const char *s, size_t n);
/* Is [s, s + n) a TLD of the host finder that is also a common member,
 * file or CSS class name ("id", "app", "store")? */
bool emb_find_is_weak_tld(const char *s, size_t n);

/**
 * Report every match end of the finders in @a mask (bits 1 << kind) over
 * t[0..len): @a cb gets each (kind, end) once, ends increasing per kind, the
 * same set Vectorscan reports for the expression (block mode, MULTILINE).
 * @return 0, or the first non-zero value returned by @a cb (which stops the pass)
 */
int emb_find_run(const char *t, size_t len, unsigned mask,
                 int (*cb)(unsigned kind, size_t end, void *ctx), void *ctx);

/* gate.c: the literal gate of a `gated` pattern */
#define EMB_GATE_LIT_MAX  32  /* bytes in one gate literal */
#define EMB_GATE_MAX_LITS 128 /* literals in one gate */
struct emb_gate {
    unsigned k;    /* non-blank lines a match can reach beyond its gate literal's line */
    bool caseless; /* the literals match in any ASCII case */
    size_t nlit;
    char lit[EMB_GATE_MAX_LITS][EMB_GATE_LIT_MAX + 1]; /* NUL-terminated, no '\n' */
    size_t litlen[EMB_GATE_MAX_LITS];
};

/**
 * The literals of which every match of the Vectorscan expression @a expr
 * (compiled with HS_FLAG_CASELESS if @a caseless, never HS_FLAG_DOTALL or
 * HS_FLAG_UTF8) contains one, and the bound k on the lines a match crosses,
 * into *@a out.
 * @return false if the expression has no such set (of at most
 *         EMB_GATE_MAX_LITS non-empty literals), no finite bound, or syntax
 *         the analysis does not read; *@a out is then unspecified
 */
bool emb_gate_analyse(const char *expr, bool caseless, struct emb_gate *out);

/**
 * Drop from the gate literals lit[0..n) each one that contains another
 * (ASCII case folded when that other one is caseless, HS_FLAG_CASELESS in
 * @a flags, and never a caseless one for a case-sensitive other): its
 * occurrences open no window the other's do not. The kept ones stay first,
 * in order; the dropped ones are moved behind them (the caller frees them).
 * @return the number kept
 */
size_t emb_gate_minimal(char **lit, unsigned *flags, size_t n);

/**
 * The window of a gate literal that ends at @a end (1..@a len) in t[0..len):
 * [*ws, *we), whole lines from the k-th non-blank line above the literal's
 * line to the k-th below (the blank lines between included, '\n' after the
 * last one excluded, so ^ $ \b see the neighbours they see in t). Every match
 * that contains this occurrence and crosses at most k newlines as
 * emb_gate_analyse counts them lies inside it.
 */
void emb_gate_window(const char *t, size_t len, size_t end, unsigned k, size_t *ws, size_t *we);

/* The most gate literal occurrences one scan remembers; past it the gated
 * expressions run over the whole text (the same matches, only slower). */
#define EMB_GATE_MAX_HITS 4096

struct emb_check {
    const struct emb_check_rules *rs;
    void *db;                           /* hs_database_t; NULL if every pattern went to a finder */
    unsigned *pat_rule;                 /* Vectorscan id -> rule index */
    size_t npat;                        /* expressions compiled into db (ids 0..npat-1) */
    size_t ngate;                       /* gate literals in db after them (ids npat..) */
    void *gdb;                          /* hs_database_t of the gated expressions, or NULL */
    unsigned *gpat_rule;                /* gdb id -> rule index */
    unsigned gate_k;                    /* the largest k of the gated expressions */
    unsigned find_mask;                 /* finders in use (1 << enum emb_find_kind) */
    unsigned find_rule[EMB_FIND_COUNT]; /* finder -> rule index */
};

struct emb_check_scratch {
    void *hs; /* hs_scratch_t (for db and gdb) */
    struct emb_hit *hits;
    size_t n, max;
    bool overflow;
    uint32_t *nl; /* newline offsets of the text being scanned (reused) */
    size_t nl_cap;
    /* windows [start, end) of text around gate literal occurrences, in order */
    size_t (*win)[2];
    size_t nwin;
    bool win_all; /* too many occurrences: run the gated expressions everywhere */
};

/* A judgement of one region [s1 - 1, e) remembered (s1 0: none yet). */
struct emb_region_memo {
    size_t s1, e;
    bool val;
};

/* cmdline.c: what a shell command line does (facts only; validate.c decides) */
struct emb_cmd {
    bool command;     /* a program was recognised */
    bool program;     /* an interpreter running a script, a ./binary, a container, a tool */
    bool attack_tool; /* sqlmap, nuclei, xray, hydra, Metasploit use/set RHOSTS ... */
    bool fetch;       /* curl, wget, httpie, nc, Invoke-WebRequest */
    bool scanner;     /* masscan, zmap, httpx, nmap ... */
    bool msf;         /* a Metasploit console line */
    bool target;      /* given a target: URL, address, host or placeholder */
    bool list;    /* given a list of targets: a file, file:, a pipe from a list, a search engine */
    bool threads; /* given a thread or concurrency count */
    bool fanout;  /* run under xargs -P / parallel, or THREADS set */
    bool payload; /* given a command or an attack switch (-c, --os-shell, --getshell) */
    bool benign;  /* the line starts with a program that is never an attack (wc, grep, pip) */
    /* judged per command of the line (facts of one command only) */
    bool aimed;        /* a tool given a target, or a program given a target or a list */
    bool fetch_target; /* a fetcher (curl, wget) given a target */
    bool fed;          /* a program, tool or fetcher given a list */
};

struct emb_ctx {
    const struct emb_check *c;
    const struct emb_check_rules *rs;
    const struct emb_doc *doc;
    const char *t; /* doc->text */
    size_t len;
    /* offsets of every '\n' in t, in order (lines are found by binary search) */
    const uint32_t *nl;
    size_t nnl;
    /* code blocks of the document, sorted by start */
    const struct emb_doc_block **code;
    size_t ncode;
    /* section heads, built on first use */
    struct emb_head *heads;
    size_t nheads;
    bool heads_built;
    /* findings */
    struct emb_check_finding *f;
    size_t nf, capf;
    size_t *last_end; /* per rule: end (text) of its last finding, for de-duplication */
    size_t dork_end;  /* end of the last dork finding of any dork rule */
    bool repro_hit;   /* the no_remediation trigger matched somewhere */
    bool zh;          /* the document is mostly Chinese */
    /* v_sale_field (validate.c): whether the document offers something for
     * sale, searched once (0: not yet, 1: no, 2: yes) */
    unsigned char sells;
    /* code_region (validate.c): the last paragraph found, [para_s, para_e) */
    size_t para_s, para_e;
    /* version_context (validate.c): whether the words of the line that starts
     * at vline - 1 mark a version (0: no line yet); addresses share lines */
    size_t vline;
    bool vline_version;
    /* code regions a rule already judged not to be a finding (validate.c), so
     * that many hits in one block cost one judgement: direct-mapped by rule */
    struct {
        unsigned rule;
        size_t start_plus1; /* 0: empty */
    } rejected[16];
    /* v_password (validate.c): passwords the writer chose for an account its
     * exploit creates ("role":"admin" in the body, a POST to /user/add), so
     * that logging in with them later is no leak either */
    size_t chosen_s[4], chosen_n[4];
    unsigned nchosen;
    /* v_url (validate.c): host spans of live-target URL findings, and URLs in
     * prose that aimed at nothing on their own; emb_validate_finish reports a
     * pending URL whose host is a target elsewhere in the document (a bug
     * report's summary naming the site its request attacks), and a pending
     * bare domain in a post that sells access to it */
    struct {
        size_t hs, he;
    } thost[16];
    unsigned nthost;
    struct {
        unsigned rule;
        size_t s, e, hs, he;
        bool sale; /* a bare domain: a target only in a post that sells */
        bool pic;  /* a picture (an image embed): a target only by its host */
    } pend[8];
    unsigned npend;
    /* v_password_shape (validate.c): whether the line that starts at
     * cred_line - 1 names a credential (0: no line yet); many hits on one
     * long line ("gtk#1, gtk#2, ...") read it once */
    size_t cred_line;
    bool cred_line_val;
    /* v_mass_scan (validate.c): the line that starts at ms_line - 1 (0: none
     * yet), whether it names a scanner, and its backticks counted up to
     * ms_pos (ms_open: the last one), so hits along one line cost O(line) */
    size_t ms_line, ms_pos, ms_ticks, ms_open, ms_open_call;
    bool ms_cmd, ms_thread;
    /* v_mass_scan (validate.c): the line [ms_cl - 1, ms_ce) read as a command
     * (0: none yet), and the code region [ms_rs - 1, ms_re) judged for all
     * its hits: whether it talks to the network, is defensive or an own-fleet
     * probe, and whether it sweeps addresses or pages an asset-search engine
     * (ms_sweep 0: not asked yet; else 0x80 | 1 sweep | 2 paging) */
    size_t ms_cl, ms_ce, ms_rs, ms_re;
    bool ms_benign, ms_command, ms_fanout, ms_net, ms_skip;
    unsigned char ms_sweep;
    /* v_mass_scan (validate.c): does any code block of the document do
     * network I/O (0: not asked yet, 1: no, 2: yes) */
    unsigned char ms_doc_net;
    /* v_mass_scan (validate.c): the Perl handle "<$name>" last judged, the
     * name at x->t[ms_pl_name, + ms_pl_m), in the region [ms_pl_rs - 1,
     * ms_pl_re) (0: none yet), and whether it was opened on a file */
    size_t ms_pl_rs, ms_pl_re, ms_pl_name, ms_pl_m;
    bool ms_pl_file;
    /* defensive_block / fleet_probe / own_scope_block (validate.c): the last
     * region each was asked about and the answer */
    struct emb_region_memo dfs, fleet, own, shell;
    /* emb_ctx_related_tail (structure.c): where a trailing list of links to
     * other articles starts (x->len: none), plus one once it is known */
    size_t related_plus1;
    /* emb_ctx_has_any / emb_ctx_has (structure.c): the last span asked
     * about for each word list or literal (key; NULL: empty), open
     * addressing on the key */
    struct {
        const void *key;
        size_t s, e;
        unsigned char kind; /* which question: any word, whole word, one literal */
        bool val;
    } memo[256];
};

/* structure.c */
void emb_ctx_build_heads(struct emb_ctx *x);
/** The kinds among @a want of the head chain covering text offset @a off (0 if none). */
unsigned emb_ctx_section(struct emb_ctx *x, size_t off, unsigned want);
/** The kinds among @a want of head @a i itself. */
unsigned emb_ctx_head_kinds(struct emb_ctx *x, size_t i, unsigned want);
/** The head that covers @a off, or NULL. */
const struct emb_head *emb_ctx_head_at(struct emb_ctx *x, size_t off);
/** The code block containing @a off, or NULL. */
const struct emb_doc_block *emb_ctx_code_at(const struct emb_ctx *x, size_t off);
/** True if @a off lies on a head's own line. */
bool emb_ctx_is_head_line(struct emb_ctx *x, size_t off);
/** The line around @a off: [*ls, *le) without its '\n'. */
void emb_ctx_line(const struct emb_ctx *x, size_t off, size_t *ls, size_t *le);
/**
 * The line around @a off as emb_ctx_line, but on a line longer than
 * 2 * EMB_LINE_NEAR bytes only the EMB_LINE_NEAR bytes each side of @a off
 * (cut at character boundaries): what a validator reads around each hit,
 * so that a line of many hits costs O(hits * EMB_LINE_NEAR), not
 * O(hits * line). Real write-ups' lines are far shorter.
 */
#define EMB_LINE_NEAR 4096
void emb_ctx_line_near(const struct emb_ctx *x, size_t off, size_t *ls, size_t *le);
/** Index in x->code of the first code block that starts after @a off. */
size_t emb_ctx_code_after(const struct emb_ctx *x, size_t off);
/** Index of the first '\n' at or after @a off in x->nl (x->nnl if none). */
size_t emb_ctx_nl_at(const struct emb_ctx *x, size_t off);
/** Case-insensitive (ASCII) search of @a lit in s[0..n). */
bool emb_has(const char *s, size_t n, const char *lit);
/** True if any of the NULL-terminated @a lits occurs in s[0..n) (ASCII caseless). */
bool emb_has_any(const char *s, size_t n, const char *const *lits);
/**
 * The OR of @a group[k] over the words k of the NULL-terminated @a lits that
 * occur in s[0..n) (ASCII caseless, as emb_has_any), in one pass; it may stop
 * early once the result has a bit of @a stop. emb_has_any(s, n, L) for the
 * words L of one group is the same as that group's bit being set.
 */
unsigned emb_has_groups(const char *s, size_t n, const char *const *lits,
                        const unsigned char *group, unsigned stop);
/** Like emb_has_any, but an ASCII word must not be glued to letters on either
 * side (a plural 's' is allowed; a word ending in '*' is a prefix). */
bool emb_has_word_any(const char *s, size_t n, const char *const *lits);
/**
 * emb_has_any / emb_has over x->t[s, e), remembered: the same question about
 * the same span (most often a hit's line, asked again for every hit along
 * it) is answered from a table in @a x, so a validator that reads "the
 * hit's line" costs one pass a line, not one a hit, on a long line.
 */
bool emb_ctx_has_any(struct emb_ctx *x, size_t s, size_t e, const char *const *lits);
bool emb_ctx_has_word_any(struct emb_ctx *x, size_t s, size_t e, const char *const *lits);
bool emb_ctx_has(struct emb_ctx *x, size_t s, size_t e, const char *lit);
/**
 * Where the document's trailing list of links to other articles starts (a
 * line such as 往期推荐 / 推荐阅读 / "Related posts" and after it only short
 * link lines to the end), or x->len when there is none. Their titles speak
 * of other articles: emb_ctx_add() drops mass_scanner and hype findings
 * there. Computed once per document.
 */
size_t emb_ctx_related_tail(struct emb_ctx *x);
/** True if the document states that products are not affected. */
bool emb_ctx_not_affected(const struct emb_ctx *x);
/** True if the document carries a fix or mitigation with real content. */
bool emb_ctx_has_remediation(struct emb_ctx *x);

extern const char *const emb_ioc_words[];
extern const char *const emb_target_words[];
extern const char *const emb_dork_words[];
extern const char *const emb_payload_words[];

/* evidence.c: what the validators look for, across languages (no decisions here) */
/** What a code region shows: each flag is evidence, the validators combine them. */
struct emb_ev_code {
    bool cli;     /* reads its arguments or input (argv, option parsers, self.url, {{Hostname}}) */
    bool target;  /* names a target (url, target, host, rhost, ip ... as a word) */
    bool net;     /* does client-side network I/O */
    bool payload; /* carries an attack payload (plain or encoded) */
    bool list;    /* reads a list (file lines, stdin lines, a list option) */
    bool fanout;  /* threads, pools, coroutines, concurrency limits */
    bool shell;   /* request input and a code-execution sink (a web shell) */
    bool sweep;   /* builds hosts from a loop counter ("10.16.8.%d", ".{i}:") */
    bool literal; /* a call's first argument is a URL literal (a target only with a payload) */
};
void emb_ev_code(const char *s, size_t n, struct emb_ev_code *out);
/** An attack payload in s[0..n), plain or base64/UTF-16/percent encoded. */
bool emb_ev_payload(const char *s, size_t n);
/** A payload hidden in a base64, UTF-16LE base64 or percent-encoded token of s[0..n). */
bool emb_ev_encoded(const char *s, size_t n);
/** Client-side network I/O in s[0..n). */
bool emb_ev_net(const char *s, size_t n);
/** Request input reaching a code-execution sink in s[0..n). */
bool emb_ev_webshell(const char *s, size_t n);
/** A sink in s[0..n) that runs code or loads a class (eval, assert, a
 * ScriptEngine, defineClass, a PHP variable function), not a command. */
bool emb_ev_runs_code(const char *s, size_t n);
/** Is the Perl handle $name (name[0..m), without the '$') opened on a file in
 * s[0..n) ("open(my $fh, '<', $file)"), or STDIN/ARGV ("$in = \*STDIN")? */
bool emb_ev_perl_file_handle(const char *s, size_t n, const char *name, size_t m);
/** Decode standard or URL-safe base64 (also %2B/%2F) into out; 0 if it does not fit. */
size_t emb_ev_base64(const char *s, size_t n, unsigned char *out, size_t cap);
/** s[0..n) decoded from base64 into @a out (NUL-terminated, at most cap - 1
 * bytes; UTF-16LE with ASCII content is narrowed) when it decodes to text;
 * returns the length, or 0 (not base64, not text, or too long). */
size_t emb_ev_b64_text(const char *s, size_t n, char *out, size_t cap);
/** EMB_EV_BLOB_MAX: the bytes decoded from one hex or rot13 literal; a longer literal is judged by
 * its first EMB_EV_BLOB_MAX. */
#define EMB_EV_BLOB_MAX 2048
/** Decode hex digits s[0..n) (n even) into out; 0 if odd, not hex, or more than cap bytes. */
size_t emb_ev_hex(const char *s, size_t n, unsigned char *out, size_t cap);
/** EMB_EV_FOLD_MAX: the longest string emb_ev_php_fold keeps. */
#define EMB_EV_FOLD_MAX 64
/**
 * Fold the PHP string expression e[0..n) ("'as'.'se'.'rt'", "strrev('tressa')",
 * chr(N) chains, under strrev/str_rot13/base64_decode/hex2bin/strtolower)
 * into out (EMB_EV_FOLD_MAX bytes, lower-cased); returns the length, or 0 if
 * anything but literals, chr() and '.' is in it or it is longer.
 */
size_t emb_ev_php_fold(const char *e, size_t n, char *out);
/** A shell hidden from emb_ev_webshell in s[0..n): a decoder chain on a
 * literal blob, a hex or rot13 literal that decodes to a shell, a PHP shell
 * written without letters. */
bool emb_ev_hidden_shell(const char *s, size_t n);
extern const char *const emb_ev_net_words[];

/** Facts of the command line t[s..e) (prompt, wrappers and pipes understood). */
void emb_cmd_scan(const char *t, size_t s, size_t e, struct emb_cmd *c);
/**
 * A secret given on the command line in t[s, e) at or after offset @a from: a
 * password or hash option of a known program ("mysql -pX", "redis-cli -a X",
 * "smbclient -U user%X", "-hashes LM:NT") or an impacket target
 * "[domain/]user:X@host". Sets [*vs, *ve) to the value; the caller judges it.
 */
bool emb_cmd_secret(const char *t, size_t s, size_t e, size_t from, size_t *vs, size_t *ve);

/* validate.c */
/** Run the rule's validator on one hit; may append findings. */
void emb_validate_hit(struct emb_ctx *x, const struct emb_hit *h);
/** After all hits: document-level rules (no_remediation). */
void emb_validate_finish(struct emb_ctx *x);

/* scan.c */
/** The Vectorscan flags every expression of @a r is compiled with (HS_FLAG_*). */
unsigned emb_check_hs_flags(const struct emb_check_rule *r);
/**
 * Stage 1's Vectorscan part alone over text[0..len): the database, then the
 * gated expressions around their gate literals; hits into @a s (s->n, and
 * s->overflow when the hit array filled up). For the benchmarks.
 * @return EMB_OK, EMB_ELIMIT (hit array full, or len over 4 GiB), EMB_EIO
 */
enum emb_rc emb_check_stage1_hs(const struct emb_check *c, struct emb_check_scratch *s,
                                const char *text, size_t len);
/** A gate literal as a Vectorscan expression: every byte escaped (\xHH); owned. */
char *emb_check_gate_literal_expr(const char *lit, size_t len);
/** qsort order of hits: by end, then rule, then start (the order stage 2 sees). */
int emb_hit_cmp(const void *a, const void *b);
/** True if the text is mostly Chinese (decides the language of notices). */
bool emb_check_doc_is_zh(const char *t, size_t len);
/**
 * Append a finding of rule @a rule over text [s, e) with redaction span
 * [rs, re) replaced by @a with (NULL: the code-removed notice).
 */
void emb_ctx_add(struct emb_ctx *x, unsigned rule, size_t s, size_t e, enum emb_check_sev sev,
                 bool ioc, size_t rs, size_t re, const char *with);

static inline bool
emb_isword(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline bool
emb_isalpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
emb_isdigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline bool
emb_ishex(unsigned char c)
{
    return emb_isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

#endif
