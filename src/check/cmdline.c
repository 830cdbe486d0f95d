/*
 * What a shell command line does, for the `command` validator: which program
 * it runs (an attack tool, a fetcher such as curl, an interpreter running a
 * script, a ./binary, a container, a Metasploit console line) and what it is
 * given (a target URL, address or placeholder, a list of targets, a thread
 * count, a payload).
 *
 * This is a small tokenizer, not a shell: the line is split into commands at
 * | ; && || $( and backticks, each command into words at blanks (quotes keep
 * blanks inside a word), prompts ("$ ", "msf6 > ", "PS C:\> ") are dropped,
 * and wrappers (sudo, nohup, xargs, parallel, proxychains, do/then) are
 * skipped to reach the program. It never decides whether a line is a
 * finding; validate.c combines the facts with the rule's family.
 */
#include <string.h>

#include "check/scan_int.h"

#define WORD_MAX 64

struct word {
    const char *p;
    size_t n;
};

static bool
word_is(const struct word *w, const char *lit)
{
    size_t m = strlen(lit);

    if (w->n != m)
        return false;
    for (size_t i = 0; i < m; i++)
        if ((w->p[i] | 0x20) != (lit[i] | 0x20) && w->p[i] != lit[i])
            return false;
    return true;
}

static bool
word_in(const struct word *w, const char *const *set)
{
    for (size_t i = 0; set[i] != NULL; i++)
        if (word_is(w, set[i]))
            return true;
    return false;
}

/* Does p start with the lower-case ASCII lit[0..m), caseless? */
static bool
find_prefix_ci(const char *p, const char *lit, size_t m)
{
    for (size_t i = 0; i < m; i++)
        if ((p[i] >= 'A' && p[i] <= 'Z' ? p[i] + ('a' - 'A') : p[i]) != lit[i])
            return false;
    return true;
}

/* The last path component of a word ("/usr/bin/sqlmap" -> "sqlmap"), without ".exe"/".py". */
static struct word
base_name(struct word w)
{
    size_t i = w.n;

    while (i > 0 && w.p[i - 1] != '/' && w.p[i - 1] != '\\')
        i--;
    w.p += i;
    w.n -= i;
    if (w.n > 4 && (emb_has(w.p + w.n - 4, 4, ".exe") || emb_has(w.p + w.n - 3, 3, ".py")))
        w.n -= emb_has(w.p + w.n - 4, 4, ".exe") ? 4 : 3;
    return w;
}

static const char *const attack_tools[] = { "sqlmap",     "nuclei",          "xray",   "afrog",
                                            "hydra",      "medusa",          "ncrack", "msfconsole",
                                            "fscan",      "kscan",           "ehole",  "pocsuite",
                                            "pocsuite3",  "goby-cmd",        "jaeles", "commix",
                                            "tplmap",     "ysoserial",       "wpscan", "joomscan",
                                            "droopescan", "crackmapexec",    "nxc",    "netexec",
                                            "evil-winrm", "impacket-psexec", "psexec", "wmiexec",
                                            "smbexec",    "secretsdump",     "aliyun", NULL };

static const char *const fetchers[] = { "curl",   "wget",
                                        "http",   "https",
                                        "httpie", "nc",
                                        "ncat",   "invoke-webrequest",
                                        "iwr",    "invoke-restmethod",
                                        "irm",    NULL };

static const char *const scanners[] = { "masscan", "zmap", "zgrab",    "zgrab2", "naabu",
                                        "httpx",   "nmap", "rustscan", NULL };

static const char *const interpreters[] = { "python", "python2", "python3", "py",   "php",
                                            "perl",   "ruby",    "node",    "deno", "bun",
                                            "bash",   "sh",      "zsh",     "pwsh", "powershell",
                                            "java",   "go",      "cargo",   "npx",  "dotnet",
                                            "mono",   "docker",  "podman",  NULL };

/* Programs that are not attacks whatever their arguments. */
static const char *const benign[] = {
    "pip",        "pip3",      "npm",   "yarn",     "pnpm",      "apt",     "apt-get",
    "yum",        "dnf",       "brew",  "git",      "make",      "cmake",   "gcc",
    "cc",         "clang",     "ls",    "cat",      "grep",      "egrep",   "awk",
    "sed",        "tr",        "cut",   "sort",     "uniq",      "wc",      "echo",
    "printf",     "cd",        "mkdir", "chmod",    "chown",     "tee",     "head",
    "tail",       "zip",       "unzip", "tar",      "systemctl", "service", "openssl",
    "ssh-keygen", "redis-cli", "mysql", "psql",     "nginx",     "ps",      "kill",
    "export",     "source",    "find",  "diff",     "patch",     "jq",      "base64",
    "md5sum",     "sha256sum", "gpg",   "keytool",  "kubectl",   "helm",    "ffplay",
    "ffmpeg",     "vlc",       "ping",  "dig",      "whois",     "host",    "traceroute",
    "journalctl", "less",      "more",  "vim",      "vi",        "nano",    "cp",
    "mv",         "rm",        "touch", "ln",       "go-build",  "rustc",   "javac",
    "gradle",     "mvn",       "tr",    "xxd",      "strings",   "file",    "lsof",
    "netstat",    "ss",        "ip",    "ifconfig", "crontab",   NULL
};

/* Wrappers before the program. */
static const char *const wrappers[] = { "sudo",        "time",         "nohup", "exec", "env",
                                        "proxychains", "proxychains4", "do",    "then", "else",
                                        "timeout",     "command",      "doas",  NULL };

/* Is the script or jar @a w an attack tool's ("sqlmap.py", "ysoserial-all.jar")? */
static bool
tool_file(const struct word *w)
{
    struct word sb = base_name(*w);

    for (size_t k = 0; attack_tools[k] != NULL; k++) {
        size_t m = strlen(attack_tools[k]);
        if (sb.n >= m && find_prefix_ci(sb.p, attack_tools[k], m) &&
            (sb.n == m || sb.p[m] == '-' || sb.p[m] == '.' || sb.p[m] == '_'))
            return true;
    }
    return false;
}

static bool
word_numeric(const struct word *w)
{
    if (w->n == 0)
        return false;
    for (size_t i = 0; i < w->n; i++)
        if (!emb_isdigit((unsigned char)w->p[i]))
            return false;
    return true;
}

/* A value that names a target: a URL, an address, a host, a placeholder. */
static bool
value_is_target(const struct word *w)
{
    const char *p = w->p;
    size_t n = w->n, dots = 0, alpha = 0, upper = 0;

    while (n > 0 && (*p == '"' || *p == '\'')) {
        p++;
        n--;
    }
    while (n > 0 && (p[n - 1] == '"' || p[n - 1] == '\''))
        n--;
    if (n == 0)
        return false;
    if (memmem(p, n, "://", 3) != NULL)
        return true;
    /* "<target>" is a placeholder; a lone "<" is a redirection */
    if (p[0] == '$' || (p[0] == '<' && n > 1) || (n > 1 && p[0] == '{' && p[1] == '{'))
        return true;
    /* a path ("./conf/foo.conf", "/etc/app.ini", "~/x.cfg") names a file, not a host */
    if (p[0] == '.' || p[0] == '/' || p[0] == '~')
        return false;
    if ((unsigned char)p[0] >= 0x80) /* "路由器IP", "目标地址" */
        return emb_has(p, n, "ip") || emb_has(p, n, "目标") || emb_has(p, n, "地址") ||
               emb_has(p, n, "域名") || emb_has(p, n, "站点");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        dots += c == '.';
        alpha += emb_isalpha(c);
        upper += c >= 'A' && c <= 'Z';
        if (!(emb_isword(c) || c == '.' || c == '-' || c == ':' || c == '*' || c == '/'))
            return false;
    }
    if (dots >= 3 || (dots >= 1 && alpha > 0 && !emb_isdigit((unsigned char)p[n - 1]) &&
                      !emb_has(p, n, ".txt") && !emb_has(p, n, ".json") &&
                      !emb_has(p, n, ".yaml") && !emb_has(p, n, ".yml") && !emb_has(p, n, ".bin") &&
                      !emb_has(p, n, ".csv") && !emb_has(p, n, ".py") && !emb_has(p, n, ".sh")))
        return true; /* 1.2.3.4, x.x.x.x, host.example.org */
    /* an upper-case placeholder: TARGET, ROUTER, RHOST, IP, HOST:8080 */
    return n >= 2 && upper == alpha && alpha >= 2 &&
           (emb_has(p, n, "target") || emb_has(p, n, "host") || emb_has(p, n, "ip") ||
            emb_has(p, n, "router") || emb_has(p, n, "url") || emb_has(p, n, "victim") ||
            emb_has(p, n, "domain") || emb_has(p, n, "server"));
}

/*
 * A positional argument that names a target. An option says what its value is
 * ("--host x.lan"); a bare word must show it: a URL, an address, a
 * placeholder, or a dotted name that ends in a known top-level domain or
 * carries a port ("victim.com", "box.lan:8080"). "poc.fimg", "out.png" and
 * "crash.bin" are files a reproducer reads and writes.
 */
static bool
positional_target(const struct word *w)
{
    const char *p = w->p;
    size_t n = w->n, dots = 0, label = 0, longest = 0;

    if (!value_is_target(w))
        return false;
    while (n > 0 && (*p == '"' || *p == '\'')) {
        p++;
        n--;
    }
    while (n > 0 && (p[n - 1] == '"' || p[n - 1] == '\''))
        n--;
    if (memmem(p, n, "://", 3) != NULL || memchr(p, '.', n) == NULL)
        return true; /* a URL, a placeholder */
    /* the host part: up to a path */
    const char *sl = memchr(p, '/', n);
    if (sl != NULL)
        n = (size_t)(sl - p);
    /* a port */
    const char *co = memchr(p, ':', n);
    if (co != NULL) {
        size_t k = (size_t)(co - p) + 1;
        bool port = k < n;
        for (; port && k < n; k++)
            port = emb_isdigit((unsigned char)p[k]);
        if (port)
            return true;
        n = (size_t)(co - p);
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '.') {
            dots++;
            label = 0;
        } else if (++label > longest) {
            longest = label;
        }
    }
    if (dots >= 3 && longest <= 3)
        return true; /* 1.2.3.4, x.x.x.x */
    size_t a = n;
    while (a > 0 && p[a - 1] != '.')
        a--;
    return a > 0 && a < n && emb_find_is_tld(p + a, n - a);
}

/* A value that names a list of targets: a .txt/.lst/.csv file, file:..., "-" (stdin). */
static bool
value_is_list(const struct word *w)
{
    const char *p = w->p;
    size_t n = w->n;

    while (n > 0 && (*p == '"' || *p == '\'')) {
        p++;
        n--;
    }
    while (n > 0 && (p[n - 1] == '"' || p[n - 1] == '\''))
        n--;
    if (n >= 5 && memcmp(p, "file:", 5) == 0)
        return true;
    /* also a scanner's grepable output ("scan.gnmap") */
    return n > 4 && (emb_has(p + n - 4, 4, ".txt") || emb_has(p + n - 4, 4, ".lst") ||
                     emb_has(p + n - 4, 4, ".csv") || (n > 5 && emb_has(p + n - 5, 5, ".list")) ||
                     (n > 6 && emb_has(p + n - 6, 6, ".gnmap")));
}

/* options that pull targets from an asset-search engine */
static const char *const engine_opts[] = { "fofa",   "hunter", "quake", "zoomeye",
                                           "shodan", "censys", NULL };

/* An option that names an asset-search engine: "--fofa", "-shodan-key", "--hunter_api". */
static bool
opt_engine(const struct word *o)
{
    struct word w = *o;

    while (w.n > 0 && w.p[0] == '-') {
        w.p++;
        w.n--;
    }
    for (size_t i = 0; engine_opts[i] != NULL; i++) {
        size_t m = strlen(engine_opts[i]);
        if (w.n >= m && memcmp(w.p, engine_opts[i], m) == 0 &&
            (w.n == m || w.p[m] == '-' || w.p[m] == '_' || w.p[m] == '='))
            return true;
    }
    return false;
}

static bool
opt_is(const struct word *o, const char *const *names)
{
    struct word w = *o;

    while (w.n > 0 && w.p[0] == '-') {
        w.p++;
        w.n--;
    }
    for (size_t i = 0; i < w.n; i++)
        if (w.p[i] == '=') {
            w.n = i;
            break;
        }
    for (size_t i = 0; names[i] != NULL; i++)
        if (w.n == strlen(names[i]) && memcmp(w.p, names[i], w.n) == 0)
            return true;
    return false;
}

static const char *const target_opts[] = { "u",      "url",    "U",    "t",       "target", "rhost",
                                           "rhosts", "host",   "uri",  "site",    "domain", "ip",
                                           "addr",   "victim", "base", "baseurl", NULL };
static const char *const list_opts[] = { "f",          "file",     "l",     "L",       "iL",
                                         "list",       "i",        "input", "targets", "urls",
                                         "url-file",   "url-list", "a",     "m",       "hosts",
                                         "hosts-file", "tf",       "uf",    "uL",      "stdin",
                                         "hf",         NULL };
static const char *const thread_opts[] = { "t",    "threads",  "thread",  "c", "concurrency",
                                           "j",    "jobs",     "workers", "w", "P",
                                           "rate", "max-rate", NULL };
static const char *const payload_opts[] = {
    "c",      "cmd",       "command",   "e",          "exec",  "os-shell", "os-cmd",
    "os-pwn", "sql-shell", "file-read", "file-write", "dump",  "dbs",      "getshell",
    "attack", "exploit",   "shell",     "payload",    "lhost", "lport",    NULL
};

/* options whose value is a file the program writes or checks against, never
 * its targets ("--output SHASUMS256.txt", "shasum --check SUMS.txt") */
static const char *const output_opts[] = { "o",        "output",   "out", "outfile", "output-file",
                                           "out-file", "log-file", "log", "check",   NULL };

/* The facts of one command added to those of the line (judged-per-command facts apart). */
static void
merge_facts(struct emb_cmd *c, const struct emb_cmd *one)
{
    c->command |= one->command;
    c->program |= one->program;
    c->attack_tool |= one->attack_tool;
    c->fetch |= one->fetch;
    c->scanner |= one->scanner;
    c->target |= one->target;
    c->list |= one->list;
    c->threads |= one->threads;
    c->fanout |= one->fanout;
    c->payload |= one->payload;
}

/* Split [s, e) into words; returns the count (at most max). */
static size_t
split_words(const char *t, size_t s, size_t e, struct word *w, size_t max)
{
    size_t n = 0, i = s;

    while (i < e && n < max) {
        while (i < e && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (i >= e)
            break;
        size_t a = i;
        char q = 0;
        while (i < e && (q || (t[i] != ' ' && t[i] != '\t'))) {
            if (q == 0 && (t[i] == '"' || t[i] == '\''))
                q = t[i];
            else if (q != 0 && t[i] == q)
                q = 0;
            i++;
        }
        w[n].p = t + a;
        w[n].n = i - a;
        n++;
    }
    return n;
}

/* Facts of one command (no pipes inside). */
static void
one_command(const char *t, size_t s, size_t e, struct emb_cmd *c, bool piped_list)
{
    struct word w[WORD_MAX];
    size_t n = split_words(t, s, e, w, WORD_MAX), i = 0;

    /* wrappers; xargs and parallel also fan out (and parallel -a reads a list) */
    while (i < n) {
        if (word_in(&w[i], wrappers)) {
            i++;
            continue;
        }
        if (word_is(&w[i], "xargs") || word_is(&w[i], "parallel")) {
            bool par = word_is(&w[i], "parallel");
            i++;
            while (i < n && w[i].p[0] == '-') {
                if ((word_is(&w[i], "-P") || word_is(&w[i], "-j")) && i + 1 < n &&
                    word_numeric(&w[i + 1]))
                    c->threads = true;
                if (par && word_is(&w[i], "-a") && i + 1 < n && value_is_list(&w[i + 1]))
                    c->list = true;
                i += (i + 1 < n && w[i + 1].p[0] != '-' && w[i].n <= 3) ? 2 : 1;
            }
            c->fanout = true;
            continue;
        }
        if (w[i].n > 2 && memchr(w[i].p, '=', w[i].n) != NULL &&
            emb_isalpha((unsigned char)w[i].p[0]) && w[i].p[w[i].n - 1] != '=') {
            i++; /* VAR=value before the program */
            continue;
        }
        break;
    }
    if (i >= n)
        return;
    /* "file := ...", "list = [...]", "cat(x)": code, not a command */
    if ((i + 1 < n && (w[i + 1].p[0] == '=' || w[i + 1].p[0] == ':' || w[i + 1].p[0] == '+')) ||
        memchr(w[i].p, '(', w[i].n) != NULL || memchr(w[i].p, '=', w[i].n) != NULL)
        return;
    struct word prog = base_name(w[i]);
    bool script = false, tool_script = false;
    if (word_in(&prog, interpreters)) {
        /* the interpreter's own options, then the script; java -jar X, go run X,
         * cargo run -- , docker run [opts] IMAGE */
        bool container = word_is(&prog, "docker") || word_is(&prog, "podman");
        i++;
        if (i < n && (word_is(&w[i], "run") || word_is(&w[i], "exec")) &&
            (container || word_is(&prog, "go") || word_is(&prog, "cargo") ||
             word_is(&prog, "dotnet"))) {
            if (container && word_is(&w[i], "exec"))
                return; /* docker exec into one's own container */
            i++;
        } else if (container || word_is(&prog, "go") || word_is(&prog, "cargo") ||
                   word_is(&prog, "dotnet")) {
            return; /* docker build, go build, cargo build ... */
        }
        while (i < n && w[i].p[0] == '-') {
            bool takes = word_is(&w[i], "-jar") || word_is(&w[i], "-v") || word_is(&w[i], "-e") ||
                         word_is(&w[i], "-p") || word_is(&w[i], "--name") ||
                         word_is(&w[i], "--network") || word_is(&w[i], "-w");
            if (word_is(&w[i], "--"))
                break;
            if (word_is(&w[i], "-c") &&
                (word_is(&prog, "sh") || word_is(&prog, "bash") || word_is(&prog, "zsh")) &&
                i + 1 < n && w[i + 1].n > 2 && (w[i + 1].p[0] == '\'' || w[i + 1].p[0] == '"')) {
                /* sh -c '...' (under xargs or parallel): the quoted command is
                 * the one that runs, with the list flowing into it */
                struct emb_cmd in;
                size_t a = (size_t)(w[i + 1].p - t) + 1, b = a + w[i + 1].n - 2;
                if (w[i + 1].p[w[i + 1].n - 1] != w[i + 1].p[0])
                    b++;
                emb_cmd_scan(t, a, b, &in);
                merge_facts(c, &in);
                c->list |= piped_list && in.command;
                return;
            }
            if (word_is(&w[i], "-c") || word_is(&w[i], "-m") ||
                (word_is(&w[i], "-e") && !container))
                return; /* python -c "...", python -m module, perl -e: inline code, judged elsewhere
                         */
            if (word_is(&w[i], "-jar") && i + 1 < n)
                tool_script |= tool_file(&w[i + 1]); /* "java -jar ysoserial-all.jar" */
            i += takes ? 2 : 1;
        }
        if (i < n && word_is(&w[i], "--"))
            i++;
        if (!(word_is(&prog, "cargo") || word_is(&prog, "go")) && i < n) {
            /* an attack tool run from its script ("python3 sqlmap.py") */
            tool_script |= tool_file(&w[i]);
            i++; /* the script, jar or image */
        }
        script = true;
        c->program = true;
    } else if (word_in(&prog, attack_tools)) {
        c->attack_tool = true;
        c->program = true;
        i++;
    } else if (word_in(&prog, fetchers)) {
        c->fetch = true;
        i++;
    } else if (word_in(&prog, scanners)) {
        c->scanner = true;
        c->program = true;
        i++;
    } else if (word_in(&prog, benign) || word_is(&prog, "set") || word_is(&prog, "use")) {
        c->benign = true;
        return;
    } else {
        /* ./tool, /opt/x/tool, tool.exe, or a plain word followed by options */
        bool path = w[i].n > 2 && (w[i].p[0] == '.' || w[i].p[0] == '/' || w[i].p[0] == '~');
        bool opts = i + 1 < n && w[i + 1].p[0] == '-' && w[i + 1].n >= 2;
        for (size_t k = 0; k < prog.n; k++)
            if (!(emb_isword((unsigned char)prog.p[k]) || prog.p[k] == '-' || prog.p[k] == '.'))
                return;
        if (!path && !opts)
            return;
        c->program = true;
        i++;
    }
    (void)script;
    c->command = true;
    if (piped_list)
        c->list = true;
    for (; i < n; i++) {
        struct word *a = &w[i];
        if (a->n >= 2 && a->p[0] == '-' && !emb_isdigit((unsigned char)a->p[1])) {
            const char *eq = memchr(a->p, '=', a->n);
            struct word v = { NULL, 0 };
            if (eq != NULL) {
                v.p = eq + 1;
                v.n = (size_t)(a->p + a->n - eq - 1);
            } else if (i + 1 < n && !(w[i + 1].p[0] == '-' && w[i + 1].n > 1)) {
                v = w[i + 1];
            }
            if (word_is(a, "-stdin") || word_is(a, "--stdin"))
                c->list = true;
            if (opt_is(a, output_opts) && !opt_is(a, list_opts) && !opt_is(a, target_opts)) {
                if (eq == NULL && v.n > 0)
                    i++;
                continue;
            }
            if (v.n > 0 && word_numeric(&v)) {
                if (opt_is(a, thread_opts))
                    c->threads = true;
            } else if (v.n > 0) {
                if (opt_engine(a) || (opt_is(a, list_opts) && value_is_list(&v)))
                    c->list = true;
                else if (c->attack_tool && word_is(a, "-r"))
                    c->target = true; /* sqlmap -r request.txt */
                else if (opt_is(a, target_opts) && value_is_list(&v))
                    c->list = true;
                else if (opt_is(a, target_opts) && value_is_target(&v))
                    c->target = true;
                if (opt_is(a, payload_opts))
                    c->payload = true;
            } else if (opt_is(a, payload_opts)) {
                c->payload = true;
            }
            /* an option we do not know may be a flag: a target after it is
             * positional ("curl -k https://..."), anything else its value */
            bool known = opt_is(a, target_opts) || opt_is(a, list_opts) || opt_is(a, thread_opts) ||
                         opt_is(a, payload_opts) || opt_engine(a);
            if (eq == NULL && v.n > 0 && (known || !(value_is_target(&v) || value_is_list(&v))))
                i++;
            continue;
        }
        if (a->p[0] == '<' && a->n == 1 && i + 1 < n && value_is_list(&w[i + 1])) {
            c->list = true; /* prog < targets.txt */
            i++;
            continue;
        }
        /* a redirection's file is no argument: "> poc.xml", "2> err.log", ">out.png";
         * "<target>" is a placeholder */
        if (a->p[0] == '>' || (a->p[0] == '<' && a->n == 1) ||
            (a->n >= 2 && (a->p[0] == '1' || a->p[0] == '2' || a->p[0] == '&') && a->p[1] == '>')) {
            size_t k = 0;
            while (k < a->n && strchr("<>&12", a->p[k]) != NULL)
                k++;
            if (k == a->n && i + 1 < n)
                i++; /* the file is the next word */
            continue;
        }
        /* a word after an option we do not know was left here for looking like
         * a target (value_is_target above: "subfinder -d corp.tld"); an attack
         * tool or a program given the command its payload runs on the target is aimed by it
         * ("ysoserial CommonsBeanutils1 'bash -c {echo,...}|{base64,-d}|{bash,-i}'") */
        bool after_opt = i > 0 && w[i - 1].n >= 2 && w[i - 1].p[0] == '-' &&
                         memchr(w[i - 1].p, '=', w[i - 1].n) == NULL;
        if (after_opt ? value_is_target(a) : positional_target(a))
            c->target = true;
        else if ((c->attack_tool || c->program) && (a->p[0] == '"' || a->p[0] == '\'') &&
                 (emb_ev_payload(a->p, a->n) ||
                  ((c->attack_tool || tool_script) && memchr(a->p, ' ', a->n) != NULL)))
            c->target = true; /* an attack tool's quoted command is what runs on the target */
        else if (value_is_list(a) && !c->fetch)
            c->list = true;
    }
}

void
emb_cmd_scan(const char *t, size_t s, size_t e, struct emb_cmd *c)
{
    size_t a;
    bool list_flow = false;

    memset(c, 0, sizeof *c);
    /* drop a prompt: "$ ", "# ", "> ", "PS C:\x> ", "msf6 exploit(x) > ", "user@host:~$ " */
    for (size_t p = s; p + 1 < e && p < s + 96; p++) {
        if ((t[p] == '$' || t[p] == '#' || t[p] == '>') && t[p + 1] == ' ') {
            bool prompt = true;
            for (size_t k = s; k < p; k++)
                if (t[k] == '|' || t[k] == '&' || t[k] == ';' || t[k] == '`' || t[k] == '"' ||
                    t[k] == '\'')
                    prompt = false;
            if (prompt && p > s && t[p] == '>' && !emb_has(t + s, p - s, "msf") &&
                !emb_has(t + s, p - s, "ps ") && t[s] != '>')
                prompt = false; /* "a > b" is a redirection */
            if (prompt) {
                if (emb_has(t + s, p - s, "msf"))
                    c->msf = true;
                s = p + 2;
            }
            break;
        }
        if (!(emb_isword((unsigned char)t[p]) || t[p] == ' ' || t[p] == '@' || t[p] == ':' ||
              t[p] == '~' || t[p] == '(' || t[p] == ')' || t[p] == '/' || t[p] == '\\' ||
              t[p] == '-' || t[p] == '.'))
            break;
    }
    if (c->msf) {
        /* msf6 > use exploit/...  set RHOSTS ...  set THREADS 64 */
        struct word w[8];
        size_t n = split_words(t, s, e, w, 8);
        c->command = n > 0;
        if (n >= 2 && word_is(&w[0], "use") &&
            (emb_has(w[1].p, w[1].n, "exploit/") || emb_has(w[1].p, w[1].n, "auxiliary/")))
            c->attack_tool = c->target = true;
        if (n >= 3 && word_is(&w[0], "set") &&
            (word_is(&w[1], "rhosts") || word_is(&w[1], "rhost") || word_is(&w[1], "targeturi"))) {
            c->attack_tool = c->target = c->aimed = true;
            if (value_is_list(&w[2]))
                c->list = c->fed = true;
        }
        if (c->attack_tool && c->target)
            c->aimed = true;
        if (n >= 3 && word_is(&w[0], "set") && word_is(&w[1], "threads") && word_numeric(&w[2]))
            c->threads = c->fanout = true;
        return;
    }
    /* commands separated by | ; && || and inside $( ) or backticks; a pipe from a
     * list ("cat hosts.txt |", "awk ... ports.txt |") feeds the next command */
    a = s;
    char quote = 0;
    for (size_t i = s; i <= e; i++) {
        if (i < e && quote == 0 && (t[i] == '"' || t[i] == '\'')) {
            quote = t[i];
            continue;
        }
        if (i < e && quote != 0) {
            if (t[i] == quote)
                quote = 0;
            continue;
        }
        bool cut = i == e || t[i] == ';' || t[i] == '`' || (t[i] == '|') ||
                   (t[i] == '&' && i + 1 < e && t[i + 1] == '&') ||
                   (t[i] == '$' && i + 1 < e && t[i + 1] == '(');
        if (!cut)
            continue;
        if (i > a) {
            struct emb_cmd one;
            memset(&one, 0, sizeof one);
            one_command(t, a, i, &one, list_flow);
            /* a benign producer reading a list ("cat x.txt", "awk '...' x.lst") */
            struct word w[WORD_MAX];
            size_t n = split_words(t, a, i, w, WORD_MAX);
            bool producer = false;
            for (size_t k = 1; k < n; k++)
                if (value_is_list(&w[k]))
                    producer = true;
            bool pipe_next = i < e && t[i] == '|' && !(i + 1 < e && t[i + 1] == '|');
            /* a list keeps flowing through filters ("grep ... x.gnmap | sort -u | httpx") */
            list_flow = pipe_next && (producer || one.list || (list_flow && one.benign));
            if (!pipe_next)
                list_flow = false;
            merge_facts(c, &one);
            /* judged per command: "curl URL | sh" gives sh no target */
            c->aimed |= one.command && !one.scanner &&
                        ((one.attack_tool && one.target) ||
                         (one.program && !one.attack_tool && (one.target || one.list)));
            c->fetch_target |= one.fetch && one.target;
            c->fed |= one.list && (one.program || one.attack_tool || one.fetch || one.scanner);
            if (a == s)
                c->benign = one.benign;
        }
        if (i < e && ((t[i] == '&' || t[i] == '|') && i + 1 < e && t[i + 1] == t[i]))
            i++;
        if (i < e && t[i] == '$')
            i++;
        a = i + 1;
    }
}

/*
 * Secrets given as command-line options: a (program, option) table and the
 * way each option carries its value. GLUED: "-pSECRET" (mysql's -p takes no
 * separate value: "-p dbname" prompts); NEXT: the next word ("redis-cli -a
 * SECRET"); EQ: "--password=SECRET"; PCT: "-U user%SECRET" (the next word or
 * after '='); COLON: "/p:SECRET"; HASH: "-hashes LM:NT", the NT half. An
 * impacket script also takes "[domain/]user:SECRET@host" as a word.
 */
enum {
    SEC_NEXT,
    SEC_GLUED,
    SEC_EQ,
    SEC_PCT,
    SEC_COLON,
    SEC_HASH
};

struct secret_opt {
    const char *prog, *opt;
    unsigned char how;
};

static const struct secret_opt secret_opts[] = {
    { "mysql", "-p", SEC_GLUED },
    { "mysql", "--password", SEC_EQ },
    { "mysqldump", "-p", SEC_GLUED },
    { "mysqldump", "--password", SEC_EQ },
    { "mysqladmin", "-p", SEC_GLUED },
    { "mysqladmin", "--password", SEC_EQ },
    { "mariadb", "-p", SEC_GLUED },
    { "mariadb", "--password", SEC_EQ },
    { "mycli", "-p", SEC_NEXT },
    { "mycli", "--password", SEC_EQ },
    { "redis-cli", "-a", SEC_NEXT },
    { "redis-cli", "--pass", SEC_NEXT },
    { "smbclient", "-U", SEC_PCT },
    { "smbclient", "--user", SEC_PCT },
    { "rpcclient", "-U", SEC_PCT },
    { "rpcclient", "--user", SEC_PCT },
    { "smbmap", "-p", SEC_NEXT },
    { "sshpass", "-p", SEC_NEXT },
    { "sshpass", "-p", SEC_GLUED },
    { "evil-winrm", "-p", SEC_NEXT },
    { "evil-winrm", "-H", SEC_NEXT },
    { "crackmapexec", "-p", SEC_NEXT },
    { "crackmapexec", "-H", SEC_NEXT },
    { "netexec", "-p", SEC_NEXT },
    { "netexec", "-H", SEC_NEXT },
    { "nxc", "-p", SEC_NEXT },
    { "nxc", "-H", SEC_NEXT },
    { "xfreerdp", "/p:", SEC_COLON },
    { "rdesktop", "-p", SEC_NEXT },
    { "sqlcmd", "-P", SEC_NEXT },
    { "hydra", "-p", SEC_NEXT },
    { "ldapsearch", "-w", SEC_NEXT },
    { "mongosh", "-p", SEC_NEXT },
    { "mongosh", "--password", SEC_NEXT },
    { "psexec", "-hashes", SEC_HASH },
    { "wmiexec", "-hashes", SEC_HASH },
    { "smbexec", "-hashes", SEC_HASH },
    { "atexec", "-hashes", SEC_HASH },
    { "dcomexec", "-hashes", SEC_HASH },
    { "secretsdump", "-hashes", SEC_HASH },
    { "mssqlclient", "-hashes", SEC_HASH },
    { "smbclient", "-hashes", SEC_HASH },
};

static const char *const impacket_scripts[] = { "psexec",      "wmiexec",     "smbexec",
                                                "atexec",      "dcomexec",    "secretsdump",
                                                "mssqlclient", "getuserspns", "gettgt",
                                                "getnpusers",  "smbclient",   "lookupsid",
                                                "reg",         "services",    NULL };

/* exact comparison (options are case-sensitive: mysql -p is the password, -P the port) */
static bool
word_exact(const char *p, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(p, lit, n) == 0;
}

/* The program a word names, if it takes secrets: its row's name, else NULL. */
static const char *
secret_prog(struct word w)
{
    struct word b = base_name(w);

    if (b.n > 9 && emb_has(b.p, 9, "impacket-")) {
        b.p += 9;
        b.n -= 9;
    }
    for (size_t i = 0; i < EMB_ARRAY_LEN(secret_opts); i++)
        if (word_is(&b, secret_opts[i].prog))
            return secret_opts[i].prog;
    for (size_t i = 0; impacket_scripts[i] != NULL; i++)
        if (word_is(&b, impacket_scripts[i]))
            return impacket_scripts[i];
    return NULL;
}

/* A word without its quotes. */
static struct word
unquote(struct word w)
{
    while (w.n > 0 && (w.p[0] == '"' || w.p[0] == '\'')) {
        w.p++;
        w.n--;
    }
    while (w.n > 0 && (w.p[w.n - 1] == '"' || w.p[w.n - 1] == '\''))
        w.n--;
    return w;
}

/* "[domain/]user:SECRET@host": the secret (the host after the last '@'). */
static bool
target_spec_secret(struct word w, struct word *v)
{
    const char *at = NULL, *colon = NULL, *p = w.p;
    size_t n = w.n;

    for (size_t i = 0; i < n; i++)
        if (p[i] == '@')
            at = p + i;
    if (at == NULL || at == p || at + 1 >= p + n)
        return false;
    for (const char *q = p; q < at; q++) {
        if (*q == ':') {
            colon = q;
            break;
        }
        if (!(emb_isword((unsigned char)*q) || *q == '/' || *q == '.' || *q == '-' || *q == '$' ||
              *q == '\\'))
            return false;
    }
    if (colon == NULL || colon == p || colon + 1 >= at || memchr(p, ':', (size_t)(colon - p)))
        return false;
    v->p = colon + 1;
    v->n = (size_t)(at - colon - 1);
    return true;
}

bool
emb_cmd_secret(const char *t, size_t s, size_t e, size_t from, size_t *vs, size_t *ve)
{
    struct word w[WORD_MAX];
    size_t n = split_words(t, s, e, w, WORD_MAX);
    const char *prog = NULL;

    for (size_t i = 0; i < n; i++) {
        struct word v = { NULL, 0 };
        const char *p = w[i].p;
        size_t m = w[i].n;
        if (word_exact(p, m, "|") || word_exact(p, m, "||") || word_exact(p, m, "&&") ||
            word_exact(p, m, ";")) {
            prog = NULL;
            continue;
        }
        if (prog == NULL || p[0] != '-') {
            const char *np = secret_prog(w[i]);
            if (np != NULL) {
                prog = np;
                continue;
            }
        }
        if (prog == NULL)
            continue;
        for (size_t k = 0; k < EMB_ARRAY_LEN(secret_opts) && v.p == NULL; k++) {
            const struct secret_opt *o = &secret_opts[k];
            size_t ol = strlen(o->opt);
            if (strcmp(o->prog, prog) != 0 || m < ol || memcmp(p, o->opt, ol) != 0)
                continue;
            switch (o->how) {
            case SEC_GLUED:
            case SEC_COLON:
                if (m > ol) {
                    v.p = p + ol;
                    v.n = m - ol;
                }
                break;
            case SEC_EQ:
                if (m > ol + 1 && p[ol] == '=') {
                    v.p = p + ol + 1;
                    v.n = m - ol - 1;
                }
                break;
            case SEC_NEXT:
            case SEC_HASH:
            case SEC_PCT:
                if (m == ol && i + 1 < n) {
                    v = w[i + 1];
                } else if (m > ol + 1 && p[ol] == '=' && o->how != SEC_NEXT) {
                    v.p = p + ol + 1;
                    v.n = m - ol - 1;
                } else {
                    break;
                }
                v = unquote(v);
                if (o->how == SEC_PCT || o->how == SEC_HASH) {
                    const char *c = memchr(v.p, o->how == SEC_PCT ? '%' : ':', v.n);
                    if (c == NULL) {
                        v.p = NULL;
                        break;
                    }
                    v.n -= (size_t)(c + 1 - v.p);
                    v.p = c + 1;
                }
                break;
            }
        }
        if (v.p == NULL && p[0] != '-')
            for (size_t k = 0; impacket_scripts[k] != NULL; k++)
                if (strcmp(prog, impacket_scripts[k]) == 0) {
                    struct word u = unquote(w[i]);
                    if (!target_spec_secret(u, &v))
                        v.p = NULL;
                    break;
                }
        if (v.p == NULL)
            continue;
        v = unquote(v);
        if (v.n == 0 || (size_t)(v.p - t) < from)
            continue;
        *vs = (size_t)(v.p - t);
        *ve = *vs + v.n;
        return true;
    }
    return false;
}
