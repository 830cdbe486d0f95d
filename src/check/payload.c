/*
 * The payload classifier: one judgement, by structure, of whether a short
 * span carries a working attack payload. The span is what a writer gives the
 * reader to paste: a line of a code block or request, an inline code span,
 * or the value after 输入/填入/改为/payload in a sentence (emb_payload_span).
 * Stage 1 only points at rare bytes (a quote before a SQL keyword, "${jndi:",
 * "\"@type\"", "O:8:\"", "gopher://" ...); this file decides:
 *
 *   - SQL: a quote that opens no literal of the span (it closes the
 *     application's), a paren that closes nothing, or a ';' after a value,
 *     then and/or/union/order by/exec, then a SQL function, a comment that
 *     cuts the rest of the query, or a quoted tautology ('1'='1); or a
 *     subquery that sleeps or raises an error;
 *   - expression languages: an opener (%{ ${ #{ __${ T( (# <#assign) and,
 *     after it, a step that reaches execution (exec("..."), ProcessBuilder,
 *     _memberAccess, ?new(), forName);
 *   - ${jndi:proto://host with a host that is no placeholder (nested lookups
 *     such as ${sys:...} may be part of it);
 *   - deserialisation: Fastjson "@type" with a JNDI or JDBC sink, a PHP
 *     O:N:"Name":M:{ object whose name has N bytes;
 *   - H2 INIT=RUNSCRIPT FROM, gopher:// with an encoded protocol body,
 *     MongoDB operators in a request, script extensions cut by %00 or
 *     ::$DATA, and a value followed by a shell separator and a command.
 *
 * A payload named without its working string ("a SpEL expression", "the
 * ${jndi:...} lookup") has no such structure and stays clean. The classifier
 * reads at most EMB_PAYLOAD_MAX bytes, never writes, and allocates nothing.
 */
#include <string.h>

#include "check/payload.h"
#include "check/scan_int.h"

static unsigned char
lc(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Does lit (lower case ASCII) start at s[p] (ASCII caseless)? */
static bool
at(const char *s, size_t n, size_t p, const char *lit)
{
    size_t m = strlen(lit);
    if (p > n || n - p < m)
        return false;
    for (size_t i = 0; i < m; i++)
        if (lc((unsigned char)s[p + i]) != (unsigned char)lit[i])
            return false;
    return true;
}

/* First position >= from where lit starts, or n. */
static size_t
find(const char *s, size_t n, size_t from, const char *lit)
{
    for (size_t p = from; p < n; p++)
        if (lc((unsigned char)s[p]) == (unsigned char)lit[0] && at(s, n, p, lit))
            return p;
    return n;
}

static bool
alnum(unsigned char c)
{
    return emb_isdigit(c) || emb_isalpha(c);
}

static bool
has_any(const char *s, size_t n, size_t from, const char *const *lits)
{
    for (size_t i = 0; lits[i] != NULL; i++)
        if (find(s, n, from, lits[i]) < n)
            return true;
    return false;
}

/* has_any, but a word that starts with a letter must not continue another
 * word ("ord(" is no SQL function inside "password(") */
static bool
has_word_any(const char *s, size_t n, size_t from, const char *const *lits)
{
    for (size_t i = 0; lits[i] != NULL; i++) {
        bool word = emb_isalpha((unsigned char)lits[i][0]);
        for (size_t p = find(s, n, from, lits[i]); p < n; p = find(s, n, p + 1, lits[i]))
            if (!word || p == 0 || !emb_isword((unsigned char)s[p - 1]))
                return true;
    }
    return false;
}

/* Skip blanks and their URL forms ("+", "%20", the MySQL comment slash-star-star-slash). */
static size_t
skip_blank(const char *s, size_t n, size_t p)
{
    for (;;) {
        if (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '+'))
            p++;
        else if (at(s, n, p, "%20"))
            p += 3;
        else if (at(s, n, p, "/**/"))
            p += 4;
        else
            return p;
    }
}

/* ---- SQL ---- */

static const char *const sql_funcs[] = { "select",
                                         "sleep(",
                                         "benchmark(",
                                         "pg_sleep(",
                                         "updatexml(",
                                         "extractvalue(",
                                         "xp_cmdshell",
                                         "waitfor",
                                         "dbms_pipe",
                                         "if(",
                                         "ascii(",
                                         "substr(",
                                         "mid(",
                                         "concat(",
                                         "database()",
                                         "user()",
                                         "version()",
                                         "@@version",
                                         "load_file(",
                                         "into outfile",
                                         "into dumpfile",
                                         "char(",
                                         "length(",
                                         "floor(rand",
                                         "case when",
                                         "utl_inaddr",
                                         "ord(",
                                         "exp(~",
                                         "information_schema",
                                         NULL };

/* A comment that cuts the rest of the query: "-- ", "--+", "-- -", "--" at
 * the end, "#" or "%23" at the end, a block comment opened and not closed. */
static bool
sql_terminator(const char *s, size_t n, size_t from)
{
    for (size_t p = from; p < n; p++) {
        if (s[p] == '-' && p + 1 < n && s[p + 1] == '-') {
            size_t q = p + 2;
            if (q == n || s[q] == ' ' || s[q] == '+' || s[q] == '-' || s[q] == '`' ||
                s[q] == '\t' || s[q] == '\r' || s[q] == '\'' || s[q] == '"')
                return true;
        }
        if (s[p] == '#' || at(s, n, p, "%23")) {
            size_t q = p + (s[p] == '#' ? 1 : 3);
            while (q < n && (s[q] == ' ' || s[q] == '-' || s[q] == '\r' || s[q] == '`'))
                q++;
            if (q == n)
                return true;
        }
        if (s[p] == '/' && p + 1 < n && s[p + 1] == '*' &&
            !(p + 3 < n && s[p + 2] == '*' && s[p + 3] == '/') && find(s, n, p + 2, "*/") == n)
            return true;
    }
    return false;
}

/* A quoted tautology whose last quote the application closes: '1'='1, 'a'='a. */
static bool
sql_tautology(const char *s, size_t n, size_t from)
{
    size_t p = find(s, n, from, "'='");
    return p < n && p > from && emb_isword((unsigned char)s[p - 1]) && p + 3 < n &&
           emb_isword((unsigned char)s[p + 3]);
}

static size_t
sql_keyword(const char *s, size_t n, size_t p, bool stacked)
{
    static const char *const clause[] = { "and",       "or", "union", "order by", "having",
                                          "procedure", "&&", "||",    "xor",      NULL };
    static const char *const stmt[] = { "exec",   "execute", "declare",  "waitfor",
                                        "select", "drop",    "shutdown", "insert",
                                        "update", "create",  NULL };
    const char *const *k = stacked ? stmt : clause;
    for (size_t i = 0; k[i] != NULL; i++) {
        size_t m = strlen(k[i]);
        if (at(s, n, p, k[i]) && (p + m == n || !emb_isword((unsigned char)s[p + m]) ||
                                  !emb_isalpha((unsigned char)k[i][0])))
            return p + m;
    }
    return 0;
}

static bool
value_byte(unsigned char c)
{
    return emb_isword(c) || c == ')' || c == '%' || c == '*' || c == '-' || c == '.';
}

static bool
sql_payload(const char *s, size_t n)
{
    /* a subquery that sleeps or raises an error: (select*from(select(sleep(5)))a) */
    static const char *const timed[] = { "sleep(",     "benchmark(",    "pg_sleep(",
                                         "updatexml(", "extractvalue(", NULL };
    size_t sq = find(s, n, 0, "(select");
    if (sq < n && has_any(s, n, sq, timed))
        return true;
    size_t sq1 = 0, dq = 0;
    int depth = 0;
    for (size_t p = 0; p < n; p++) {
        unsigned char c = (unsigned char)s[p];
        bool brk = false, stacked = false;
        if (c == '\'' || c == '"') {
            size_t *cnt = c == '\'' ? &sq1 : &dq;
            /* a quote that opens no literal of the span closes the application's */
            brk = *cnt % 2 == 0 && (p == 0 || value_byte((unsigned char)s[p - 1]) ||
                                    s[p - 1] == ' ' || s[p - 1] == '=');
            (*cnt)++;
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            brk = depth == 0 && p > 0 && value_byte((unsigned char)s[p - 1]);
            if (depth > 0)
                depth--;
        } else if (c == ';') {
            brk = stacked = p > 0 && (emb_isword((unsigned char)s[p - 1]) || s[p - 1] == '\'' ||
                                      s[p - 1] == ')');
        }
        if (!brk)
            continue;
        size_t q = p + 1;
        while (!stacked && q < n && s[q] == ')')
            q++;
        size_t k0 = skip_blank(s, n, q);
        if (k0 == q && !stacked && !(k0 < n && (s[k0] == '&' || s[k0] == '|')))
            continue; /* "1'and" is glued: only a blank or an operator separates */
        size_t k = sql_keyword(s, n, k0, stacked);
        if (k == 0)
            continue;
        if (has_word_any(s, n, k, sql_funcs) || sql_terminator(s, n, k) || sql_tautology(s, n, k))
            return true;
    }
    return false;
}

/* ---- expression languages ---- */

static bool
expr_payload(const char *s, size_t n)
{
    static const char *const openers[] = {
        "%{", "${", "#{", "t(", "(#", "<#assign", "@ognl", NULL
    };
    size_t o = n;
    for (size_t i = 0; openers[i] != NULL; i++) {
        size_t p = find(s, n, 0, openers[i]);
        /* T( is SpEL's type operator only when not the end of a name */
        while (p < n && i == 3 && p > 0 && emb_isword((unsigned char)s[p - 1]))
            p = find(s, n, p + 1, openers[i]);
        if (p < o)
            o = p;
    }
    if (o == n)
        return false;
    for (size_t p = o; p < n; p++) {
        /* Runtime.exec with an argument; a bare exec( is any regex or driver */
        if (at(s, n, p, "getruntime().exec(")) {
            size_t q = skip_blank(s, n, p + 18);
            if (q < n && s[q] != ')')
                return true;
        }
        if (at(s, n, p, "processbuilder") || at(s, n, p, "_memberaccess") ||
            at(s, n, p, "default_member_access") || at(s, n, p, "?new()") ||
            at(s, n, p, "forname(") || at(s, n, p, "scriptenginemanager"))
            return true;
    }
    return false;
}

/* ---- JNDI ---- */

/* Skip a nested lookup "${...}" at s[p] (balanced, bounded by n); returns the end or p. */
static size_t
skip_lookup(const char *s, size_t n, size_t p)
{
    if (!(p + 1 < n && s[p] == '$' && s[p + 1] == '{'))
        return p;
    int d = 0;
    for (size_t q = p + 1; q < n; q++) {
        if (s[q] == '{')
            d++;
        else if (s[q] == '}' && --d == 0)
            return q + 1;
    }
    return p;
}

static bool
placeholder_host(const char *h, size_t m, bool nested)
{
    static const char *const words[] = { "example",       "your", "attacker-ip", "attacker_ip",
                                         "vps-ip",        "xxx",  "x.x",         "evil-ip",
                                         "dnslog-domain", NULL };
    bool dot = false, alpha = false;
    for (size_t i = 0; i < m; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c == '<' || c == '>' || c == '[' || c == '*' || c == '{' || c == '$' || c == '%')
            return true;
        dot = dot || c == '.';
        alpha = alpha || alnum(c);
    }
    if (!alpha)
        return true; /* "...", "" */
    if (!dot && !nested && !(m == 9 && at(h, m, 0, "localhost")))
        return true; /* one label: "attacker", "VPS", "IP" */
    return has_any(h, m, 0, words);
}

static bool
jndi_payload(const char *s, size_t n)
{
    for (size_t p = find(s, n, 0, "${jndi:"); p < n; p = find(s, n, p + 1, "${jndi:")) {
        size_t q = p + 7, ps = q;
        /* the protocol, possibly spelled with nested lookups */
        while (q < n && (emb_isalpha((unsigned char)s[q]) || s[q] == '$')) {
            size_t r = skip_lookup(s, n, q);
            q = r > q ? r : q + 1;
        }
        if (q == ps || !at(s, n, q, "://"))
            continue;
        q += 3;
        /* the host: labels, dots, dashes and nested lookups, up to ':' '/' '}' */
        size_t hs = q;
        bool nested = false;
        char host[256];
        size_t hm = 0;
        while (q < n) {
            size_t r = skip_lookup(s, n, q);
            if (r > q) {
                nested = true;
                q = r;
                continue;
            }
            unsigned char c = (unsigned char)s[q];
            if (c == ':' || c == '/' || c == '}' || c == ' ' || c == '`' || c == '"' || c == '\'' ||
                c == '\t' || c == '\r' || c == '\n')
                break;
            if (hm < sizeof host)
                host[hm++] = (char)c;
            q++;
        }
        if (q == hs)
            continue;
        /* "${sys:user.name}.dnslog.cn": the lookup is a label, the rest the domain */
        size_t h0 = 0;
        while (nested && h0 < hm && host[h0] == '.')
            h0++;
        if (!placeholder_host(host + h0, hm - h0, nested && h0 == hm))
            return true;
    }
    return false;
}

/* ---- deserialisation, H2, gopher, NoSQL, extensions ---- */

static bool
object_payload(const char *s, size_t n)
{
    static const char *const sinks[] = { "jdbcrowsetimpl",
                                         "datasourcename",
                                         "templatesimpl",
                                         "_bytecodes",
                                         "jndidatasourcefactory",
                                         "jndirefforwardingdatasource",
                                         "ldap://",
                                         "rmi://",
                                         "jdbc:",
                                         "driverclassloader",
                                         "urlclassloader",
                                         "scriptenginemanager",
                                         "unixprintservice",
                                         NULL };
    size_t t = find(s, n, 0, "\"@type\"");
    if (t < n && has_any(s, n, 0, sinks))
        return true;
    /* PHP: O:8:"FictUser":1:{ , the name exactly as long as it says */
    for (size_t p = 0; p + 4 < n; p++) {
        if (s[p] != 'O' || s[p + 1] != ':' || (p > 0 && emb_isword((unsigned char)s[p - 1])))
            continue;
        size_t q = p + 2, len = 0, d = 0;
        while (q < n && emb_isdigit((unsigned char)s[q]) && d < 4) {
            len = len * 10 + (size_t)(s[q] - '0');
            q++;
            d++;
        }
        if (d == 0 || !at(s, n, q, ":\""))
            continue;
        q += 2;
        if (len == 0 || n - q < len + 2 || s[q + len] != '"' || s[q + len + 1] != ':')
            continue;
        bool name = true;
        for (size_t i = 0; i < len; i++)
            name = name && (emb_isword((unsigned char)s[q + i]) || s[q + i] == '\\');
        if (!name)
            continue;
        q += len + 2;
        d = 0;
        while (q < n && emb_isdigit((unsigned char)s[q]))
            q++, d++;
        if (d > 0 && at(s, n, q, ":{"))
            return true;
    }
    return false;
}

static bool
h2_payload(const char *s, size_t n)
{
    size_t p = find(s, n, 0, "init=runscript");
    if (p == n)
        return false;
    p = skip_blank(s, n, p + 14);
    return at(s, n, p, "from") && skip_blank(s, n, p + 4) > p + 4;
}

static bool
gopher_payload(const char *s, size_t n)
{
    static const char *const body[] = { "%0d%0a", "%0a", "%2a", "%250d", "%250a", NULL };
    for (size_t p = find(s, n, 0, "gopher://"); p < n; p = find(s, n, p + 1, "gopher://")) {
        size_t q = p + 9;
        while (q < n && s[q] != '/' && s[q] != ' ' && s[q] != '`')
            q++;
        if (q + 1 < n && s[q] == '/' && s[q + 1] == '_' && has_any(s, n, q, body))
            return true;
    }
    return false;
}

static bool
nosql_payload(const char *s, size_t n, unsigned flags)
{
    static const char *const ops[] = { "ne",    "gt",    "gte", "lt",     "lte",
                                       "regex", "where", "nin", "exists", NULL };
    for (size_t p = 1; p + 2 < n; p++) {
        if (s[p] != '$')
            continue;
        for (size_t i = 0; ops[i] != NULL; i++) {
            size_t m = strlen(ops[i]), q = p + 1 + m;
            if (!at(s, n, p + 1, ops[i]) || q >= n)
                continue;
            /* user[$ne]=x: a query string is a request by itself */
            if (s[p - 1] == '[' && s[q] == ']' && q + 1 < n && s[q + 1] == '=')
                return true;
            /* {"$ne": null}: only inside a request (a driver example is not one) */
            if ((flags & EMB_PL_IN_REQUEST) && (s[p - 1] == '"' || s[p - 1] == '\'') &&
                s[q] == s[p - 1] && skip_blank(s, n, q + 1) < n &&
                s[skip_blank(s, n, q + 1)] == ':')
                return true;
        }
    }
    return false;
}

static bool
ext_payload(const char *s, size_t n)
{
    static const char *const exts[] = { "php", "phtml", "jspx", "jsp", "aspx",
                                        "asp", "ashx",  "asa",  "cer", NULL };
    for (size_t p = 1; p < n; p++) {
        if (s[p] != '.' || !(emb_isword((unsigned char)s[p - 1]) || s[p - 1] == '-'))
            continue;
        for (size_t i = 0; exts[i] != NULL; i++) {
            size_t q = p + 1 + strlen(exts[i]);
            if (!at(s, n, p + 1, exts[i]))
                continue;
            while (q < n && emb_isdigit((unsigned char)s[q]))
                q++; /* php5 */
            if (at(s, n, q, "::$data"))
                return true;
            if (at(s, n, q, "%00") && q + 4 < n && s[q + 3] == '.' &&
                alnum((unsigned char)s[q + 4]))
                return true;
        }
    }
    return false;
}

/* ---- shell separators ---- */

static bool
shell_payload(const char *s, size_t n)
{
    static const char *const cmds[] = { "id",
                                        "whoami",
                                        "cat /etc/passwd",
                                        "cat /etc/shadow",
                                        "uname -a",
                                        "ifconfig",
                                        "ipconfig",
                                        "net user",
                                        "ping -c",
                                        "ping -n",
                                        "nslookup ",
                                        "curl ",
                                        "wget ",
                                        "ls",
                                        "dir",
                                        "type c:",
                                        NULL };
    size_t p = 0;
    while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '"' || s[p] == '\''))
        p++;
    /* one value token: an address, a number, a file name (not a program) */
    size_t v = p;
    bool shaped = false;
    while (p < n && s[p] != ' ' && s[p] != '\t' && s[p] != ';' && s[p] != '|' && s[p] != '&' &&
           s[p] != '%' && s[p] != '\n') {
        shaped = shaped || emb_isdigit((unsigned char)s[p]) || s[p] == '.';
        p++;
    }
    if (p == v || !shaped || s[v] == '-' || s[v] == '$')
        return false;
    p = skip_blank(s, n, p);
    size_t q = p;
    if (at(s, n, p, "&&") || at(s, n, p, "||"))
        q = p + 2;
    else if (at(s, n, p, "%0a") || at(s, n, p, "%3b") || at(s, n, p, "%7c"))
        q = p + 3;
    else if (p < n && (s[p] == ';' || s[p] == '|' || s[p] == '&'))
        q = p + 1;
    if (q == p)
        return false;
    q = skip_blank(s, n, q);
    for (size_t i = 0; cmds[i] != NULL; i++) {
        size_t m = strlen(cmds[i]);
        if (at(s, n, q, cmds[i]) && (q + m == n || !emb_isword((unsigned char)s[q + m]) ||
                                     cmds[i][m - 1] == ' ' || cmds[i][m - 1] == ':'))
            return true;
    }
    return false;
}

/* ---- download and run ---- */

/* certutil -urlcache / bitsadmin /transfer fetching a file from a URL, then
 * a separator and a run of the fetched program (its base name again) */
static bool
dropper_payload(const char *s, size_t n)
{
    static const char *const runs[] = { ".exe", ".bat", ".cmd", ".ps1", ".vbs",
                                        ".hta", ".dll", ".msi", NULL };
    size_t d = find(s, n, 0, "certutil");
    if (d == n || find(s, n, d, "urlcache") == n) {
        d = find(s, n, 0, "bitsadmin");
        if (d == n || find(s, n, d, "/transfer") == n)
            return false;
    }
    size_t u = find(s, n, d, "://");
    if (u == n)
        return false;
    for (size_t p = u; p + 1 < n; p++) {
        if (!(s[p] == '&' || s[p] == ';' || s[p] == '|'))
            continue;
        /* the file written before the separator, by its base name */
        for (size_t i = 0; runs[i] != NULL; i++) {
            size_t x = find(s, p, u, runs[i]);
            while (x < p) {
                size_t b = x;
                while (b > u && s[b - 1] != '\\' && s[b - 1] != '/' && s[b - 1] != ' ' &&
                       s[b - 1] != '"')
                    b--;
                size_t m = x + strlen(runs[i]) - b;
                char name[64];
                if (m > 0 && m < sizeof name) {
                    memcpy(name, s + b, m);
                    for (size_t k = 0; k < m; k++)
                        name[k] = (char)lc((unsigned char)name[k]);
                    name[m] = '\0';
                    if (find(s, n, p + 1, name) < n)
                        return true;
                }
                x = find(s, p, x + 1, runs[i]);
            }
        }
        return false;
    }
    return false;
}

bool
emb_payload_overflow(const char *s, size_t n)
{
    static const char *const packs[] = {
        "struct.pack(", "p32(", "p64(", "pack(\"<", "pack('<", NULL
    };
    static const char *const fills[] = { "\\x90",   "shellcode", "\"a\"*",  "'a'*",
                                         "\"a\" *", "'a' *",     "b\"a\"*", NULL };
    /* a connection the script opens itself, not pwntools' local process() */
    bool conn = find(s, n, 0, "connect((") < n || find(s, n, 0, ".connect(") < n ||
                find(s, n, 0, "remote(") < n;
    return conn && find(s, n, 0, "socket") < n && has_any(s, n, 0, packs) &&
           has_any(s, n, 0, fills) &&
           (find(s, n, 0, ".send(") < n || find(s, n, 0, ".sendall(") < n ||
            find(s, n, 0, "send(") < n);
}

enum emb_payload_kind
emb_payload_classify(const char *s, size_t n, unsigned flags)
{
    if (n == 0 || n > EMB_PAYLOAD_MAX)
        return EMB_PL_NONE;
    /* each test first looks for its rare bytes */
    bool quote = memchr(s, '\'', n) || memchr(s, '"', n) || memchr(s, ')', n) || memchr(s, ';', n);
    bool brace = memchr(s, '{', n) != NULL;
    if (brace && jndi_payload(s, n))
        return EMB_PL_JNDI;
    if ((brace || memchr(s, '(', n)) && expr_payload(s, n))
        return EMB_PL_EXPR;
    if (memchr(s, ':', n) && object_payload(s, n))
        return EMB_PL_OBJECT;
    if (quote && sql_payload(s, n))
        return EMB_PL_SQL;
    if (memchr(s, '=', n) && h2_payload(s, n))
        return EMB_PL_H2;
    if (memchr(s, '_', n) && gopher_payload(s, n))
        return EMB_PL_GOPHER;
    if (memchr(s, '$', n) && nosql_payload(s, n, flags))
        return EMB_PL_NOSQL;
    if (memchr(s, '.', n) && ext_payload(s, n))
        return EMB_PL_EXT;
    if (shell_payload(s, n))
        return EMB_PL_SHELL;
    if (dropper_payload(s, n))
        return EMB_PL_DROPPER;
    return EMB_PL_NONE;
}

bool
emb_payload_command_param(const char *s, size_t n)
{
    static const char *const keys[] = { "cmd",   "command", "exec", "execute", "run",
                                        "shell", "c",       "code", NULL };
    static const char *const cmds[] = { "id",
                                        "whoami",
                                        "uname -a",
                                        "uname+-a",
                                        "uname%20-a",
                                        "ipconfig",
                                        "ifconfig",
                                        "hostname",
                                        "cat /etc/passwd",
                                        "cat+/etc/passwd",
                                        "cat%20/etc/passwd",
                                        "net user",
                                        "net+user",
                                        "net%20user",
                                        NULL };
    if (n > EMB_PAYLOAD_MAX * 4)
        return false;
    for (const char *e = memchr(s, '=', n); e != NULL;
         e = memchr(e + 1, '=', n - (size_t)(e + 1 - s))) {
        size_t q = (size_t)(e - s), k = q;
        while (k > 0 && emb_isalpha((unsigned char)s[k - 1]))
            k--;
        /* the key starts a parameter: after ?, &, a quote, a blank or a brace */
        if (k == q || (k > 0 && !(s[k - 1] == '?' || s[k - 1] == '&' || s[k - 1] == '\'' ||
                                  s[k - 1] == '"' || s[k - 1] == ' ' || s[k - 1] == '{')))
            continue;
        bool key = false;
        for (size_t i = 0; keys[i] != NULL && !key; i++)
            key = strlen(keys[i]) == q - k && at(s, n, k, keys[i]);
        if (!key)
            continue;
        for (size_t i = 0; cmds[i] != NULL; i++) {
            size_t m = strlen(cmds[i]), v = q + 1;
            if (at(s, n, v, cmds[i]) &&
                (v + m == n || s[v + m] == '&' || s[v + m] == '\'' || s[v + m] == '"' ||
                 s[v + m] == ' ' || s[v + m] == '`' || s[v + m] == '\r'))
                return true;
        }
    }
    return false;
}

bool
emb_payload_region(const char *s, size_t n)
{
    /* the request line, then the body after the first blank line (headers
     * are lines of their own in a code block, where the rule reads them);
     * bounded, as the validator asks again for every request line it meets */
    size_t cap = 16 * EMB_PAYLOAD_MAX;
    const char *nl = memchr(s, '\n', n);
    size_t e = nl ? (size_t)(nl - s) : n;
    if (e <= EMB_PAYLOAD_MAX && emb_payload_classify(s, e, EMB_PL_IN_REQUEST) != EMB_PL_NONE)
        return true;
    const char *blank = memmem(s, n < cap ? n : cap, "\n\n", 2);
    const char *crlf = memmem(s, n < cap ? n : cap, "\n\r\n", 3);
    if (blank == NULL || (crlf != NULL && crlf < blank))
        blank = crlf;
    if (blank == NULL)
        return false;
    size_t end = n - (size_t)(blank - s) > cap ? (size_t)(blank - s) + cap : n;
    for (size_t p = (size_t)(blank - s) + 1; p < end;) {
        nl = memchr(s + p, '\n', end - p);
        e = nl ? (size_t)(nl - s) : end;
        if (e - p <= EMB_PAYLOAD_MAX &&
            emb_payload_classify(s + p, e - p, EMB_PL_IN_REQUEST) != EMB_PL_NONE)
            return true;
        p = e + 1;
    }
    return false;
}

/* The verbs that introduce a typed value: 输入 填入 改为 改成 payload */
static size_t
typed_value(const char *t, size_t ls, size_t off)
{
    static const char *const verbs[] = { "\xe8\xbe\x93\xe5\x85\xa5",
                                         "\xe5\xa1\xab\xe5\x85\xa5",
                                         "\xe6\x94\xb9\xe4\xb8\xba",
                                         "\xe6\x94\xb9\xe6\x88\x90",
                                         "payload",
                                         NULL };
    size_t best = 0;
    for (size_t i = 0; verbs[i] != NULL; i++) {
        size_t m = strlen(verbs[i]);
        for (size_t p = ls; p + m <= off; p++)
            if (at(t, off, p, verbs[i]) && p + m > best)
                best = p + m;
    }
    return best;
}

bool
emb_payload_span(struct emb_ctx *x, size_t off, size_t *s, size_t *e, unsigned *flags)
{
    const char *t = x->t;
    size_t ls, le;
    const struct emb_doc_block *cb = emb_ctx_code_at(x, off);

    emb_ctx_line(x, off, &ls, &le);
    /* spans are short: read at most EMB_PAYLOAD_MAX bytes each side of the
     * hit, so a hit costs the same on a megabyte-long line */
    if (off - ls > EMB_PAYLOAD_MAX)
        ls = off - EMB_PAYLOAD_MAX;
    if (le > off && le - off > EMB_PAYLOAD_MAX)
        le = off + EMB_PAYLOAD_MAX;
    *flags = 0;
    if (cb != NULL) {
        if (emb_ctx_has(x, cb->start, cb->end, " HTTP/1.") ||
            emb_ctx_has(x, cb->start, cb->end, " HTTP/2"))
            *flags = EMB_PL_IN_REQUEST;
        *s = ls;
        *e = le;
        return true;
    }
    /* an inline code span around the hit */
    for (size_t p = ls; p < le;) {
        const char *a = memchr(t + p, '`', le - p);
        if (a == NULL)
            break;
        size_t as = (size_t)(a - t) + 1;
        const char *b = memchr(t + as, '`', le - as);
        if (b == NULL)
            break;
        size_t be = (size_t)(b - t);
        if (as <= off && off < be) {
            *s = as;
            *e = be;
            return true;
        }
        p = be + 1;
    }
    /* the value after a verb: the ASCII run up to the next Chinese word */
    size_t v = typed_value(t, ls, off);
    if (v == 0)
        return false;
    while (v < off && (t[v] == ' ' || t[v] == ':' || t[v] == '"'))
        v++;
    if (v + 3 <= off && (unsigned char)t[v] == 0xef && (unsigned char)t[v + 1] == 0xbc &&
        (unsigned char)t[v + 2] == 0x9a)
        v += 3; /* a full-width colon */
    for (size_t p = v; p <= off; p++)
        if ((unsigned char)t[p] >= 0x80)
            return false; /* Chinese between the verb and the hit: another clause */
    size_t ve = off;
    while (ve < le && (unsigned char)t[ve] < 0x80)
        ve++;
    while (ve > v && (t[ve - 1] == ' ' || t[ve - 1] == '\r'))
        ve--;
    *s = v;
    *e = ve;
    return ve > v;
}
