/*
 * Evidence for the stage-2 validators: what an attack payload, a network
 * client, a command-line program, a target list or a web shell's request
 * input and code-execution sink look like, across languages, and decoders
 * for payloads hidden in base64, UTF-16 base64 (PowerShell -enc) and
 * percent encoding.
 *
 * The validators in validate.c decide what is a finding; this file only
 * answers "is there evidence of X in these bytes". Every check is a bounded
 * scan of a code block, a line or a decoded token, run only on a Vectorscan
 * hit, so none of it costs anything on text without hits. Word lists are
 * families of synonyms (one idiom per language or tool), matched ASCII
 * case-insensitively, never Unicode-aware.
 */
#include <stdlib.h>
#include <string.h>

#include "check/scan_int.h"

/* Attack payloads: injection, traversal, template, deserialisation, XXE, SSRF
 * and command strings that have no business in a benign request. */
static const char *const payload_words[] = {
    /* JNDI / expression languages */
    "${jndi:", "%24%7bjndi", "${${", "${lower:", "${upper:", "${::-", "ldap://", "rmi://",
    "t(java.lang", "java.lang.runtime", "@java.lang", "_memberaccess", "ognl", "class.module", "#{",
    "%{(", "${ex(", "?new()", "freemarker.template.utility", "{{7*7}}", "${7*7}", "__globals__",
    "__import__", "__builtins__", "__class__.__mro__", "getruntime()",
    /* SQL injection */
    "union select", "union all select", "union%20select", "union+select", "updatexml(",
    "extractvalue(", "pg_sleep(", "benchmark(", "waitfor delay", "dbms_pipe", "or 1=1", "and 1=1",
    "' or ", "' and ", "'or'", "%27", "--+", "-- -", "0x7e", "concat(", "information_schema",
    "@@version", "convert(int", "xp_cmdshell", "load_file(", "into outfile", "into dumpfile",
    /* commands */
    "whoami", "/etc/passwd", "/etc/shadow", "win.ini", "cmd.exe", "/bin/sh", "/bin/bash", "bash -i",
    "/dev/tcp/", "nc -e", "ncat -e", ";id", "|id", "`id`", "$(id)", "%0aid", "${ifs}", "uname -a",
    /* command injection written with a space ("x; touch /tmp/pwned") */
    "; touch /tmp/", "; id\"", "; id'", "; whoami", "| whoami", "&& whoami", "; curl http",
    "; wget http", "nslookup", "ping -c", "certutil", "bitsadmin", "powershell -",
    "downloadstring(", "invoke-expression", "iex(", "net.webclient", "mshta ", "regsvr32",
    /* traversal and file access */
    "../", "..\\", "..%2f", "..%5c", "%2e%2e", "..;/", "%252e", "file:///", "php://filter",
    "php://input", "expect://", "phar://", "zip://", "data://text",
    /* SSRF */
    "169.254.169.254", "metadata.google.internal", "100.100.100.200", "gopher://", "dict://",
    /* XSS */
    "<script", "javascript:", "onerror=", "onload=", "alert(", "document.cookie", "<svg",
    /* XXE */
    "<!entity", "<!doctype", "system \"file:", "system 'file:",
    /* deserialisation */
    "ro0ab", "aced0005", "ysoserial", "commonscollections", "commonsbeanutils", "@type", "autotype",
    "jdbcrowsetimpl", "templatesimpl", "xmldecoder", "<java", "!!javax.", "!!com.sun",
    "rememberme=", "__proto__", "constructor.prototype", "o:+", "\"o:",
    /* binary exploitation (pwntools): packed addresses, ROP chains, shellcode */
    "p64(", "p32(", "flat(", "shellcraft.", "rop.chain(", "cyclic(",
    /* mass assignment: an account created with a role the caller may not grant */
    "\"role\":\"admin", "\"role\": \"admin", "\"role\":\"superadmin", "\"role\": \"superadmin",
    "\"isadmin\":true", "\"isadmin\": true", "\"is_admin\":true", "\"is_admin\": true",
    /* code execution strings */
    "<?php", "<%", "eval(", "exec(", "system(", "assert(", "passthru", "shell_exec",
    "base64_decode", "processbuilder", "runtime.exec", "child_process", "execsync(", "os.popen",
    "os.system", "phpinfo", "getshell", "webshell",
    /* out-of-band receivers */
    "dnslog", "ceye.io", "burpcollaborator", "oastify", "interact.sh", "oast.",
    /* uploads */
    "multipart/form-data", ".jsp\"", ".jspx\"", ".php\"", ".asp\"", ".aspx\"", ".phtml\"", NULL
};

/* "and sleep(5)", "'||sleep(5)", "%20sleep(5)", "dbms_lock.sleep(5)": SQL's
 * sleep, not a script pausing between requests (time.sleep(2),
 * time.Sleep(d), asyncio.sleep(1)) nor another function (usleep, my_sleep) */
static bool
sql_sleep(const char *s, size_t n)
{
    static const char *const pauses[] = { "time.", "asyncio.", "thread.",   "gevent.",
                                          "trio.", "anyio.",   "eventlet.", NULL };
    for (size_t i = 0; i + 6 <= n; i++) {
        if ((s[i] | 0x20) != 's' || !emb_has(s + i, 6, "sleep("))
            continue;
        if (i == 0)
            return true;
        unsigned char c = (unsigned char)s[i - 1];
        if (c == '_' || emb_isalpha(c))
            continue;
        bool pause = false;
        if (c == '.') {
            size_t a = i > 9 ? i - 9 : 0;
            for (size_t k = 0; pauses[k] && !pause; k++) {
                size_t m = strlen(pauses[k]);
                pause = i - a >= m && emb_has(s + i - m, m, pauses[k]);
            }
        }
        if (!pause)
            return true;
    }
    return false;
}

bool
emb_ev_payload(const char *s, size_t n)
{
    if (emb_has_any(s, n, payload_words) || sql_sleep(s, n))
        return true;
    return emb_ev_encoded(s, n);
}

/* Client-side network I/O, one or two idioms per language and tool. */
const char *const emb_ev_net_words[] = {
    /* python */
    "requests.", "urllib", "http.client", "httpx", "aiohttp", "socket", "pwn", "paramiko", "ftplib",
    "smtplib", "telnetlib", "pycurl",
    /* go */
    "net/http", "http.get(", "http.post(", "http.newrequest(", "net.dial(", "tls.dial(", "resty",
    "fasthttp",
    /* java, c#, kotlin */
    "httpclient", "httpurlconnection", "openconnection(", "okhttp", "new socket(", "httppost",
    "httpget", "resttemplate", "jsoup.connect", "webclient", "httpwebrequest",
    /* javascript */
    "fetch(", "axios", "xmlhttprequest", "http.request(", "https.request(", "undici", "superagent",
    "got(", "needle",
    /* php, perl, ruby, rust, c */
    "curl_init", "curl_exec", "fsockopen", "stream_socket_client", "guzzle", "lwp::", "lwp",
    "http::request", "http::tiny", "io::socket", "www::mechanize", "net::http", "open-uri",
    "httparty", "faraday", "restclient", "tcpsocket", "typhoeus", "reqwest", "hyper::", "ureq",
    "tcpstream", "libcurl", "curl_easy", "connect(", "sendto(",
    /* shells and tools */
    "curl", "wget", "/dev/tcp", "invoke-webrequest", "invoke-restmethod", "iwr ",
    "system.net.sockets", "ncat", "nc ",
    /* frameworks */
    "poc.http", "http.request(", "send_request_cgi", "send_request_raw", "requests.session",
    "http://", "https://",
    /* asset-search clients: their searches go out over the network */
    "shodan.shodan(", "search_cursor(", "censys.search", NULL
};

/* What makes a block a command-line program: it reads its arguments. */
static const char *const cli_words[] = { "sys.argv",       "argparse",
                                         "add_argument(",  "optparse",
                                         "add_option(",    "@click.",
                                         "getopt",         "docopt",
                                         "fire.fire",      "typer.",
                                         "os.args",        "flag.string",
                                         "flag.parse",     "cobra",
                                         "flags().string", "flags().int",
                                         "pflag",          "kingpin",
                                         "cli.string(",    "cli.filenames(",
                                         "cli.int(",       "string[] args",
                                         "args[0]",        "args[1]",
                                         "picocli",        "@option(",
                                         "process.argv",   "yargs",
                                         "commander",      "program.option",
                                         ".option(",       "minimist",
                                         "$argv",          "$_server['argv']",
                                         "@argv",          "getoptions(",
                                         "getopt::",       "= shift",
                                         "argv",           "optionparser",
                                         "env::args",      "clap",
                                         "structopt",      "#[arg(",
                                         "#[clap(",        "::parse()",
                                         "argc",           "param(",
                                         "$args[",         "[parameter(",
                                         "read-host",      "input(",
                                         "raw_input(",     "bufio.newreader(os.stdin",
                                         "self.url",       "self.target",
                                         "datastore[",     "{{baseurl}}",
                                         "{{hostname}}",   "{{host}}",
                                         "{{rooturl}}",    NULL };

/* Names a target argument goes by. */
static const char *const target_words[] = { "remote", /* pwntools' remote(host, port) */
                                            "url",     "uri",      "target", "rhost",
                                            "host",    "victim",   "domain", "site",
                                            "addr",    "router",   "server", "endpoint",
                                            "baseurl", "base_url", "ip",     NULL };

/* Reading a list of targets, in each language. */
static const char *const list_words[] = { ".readlines(",
                                          ".txt\")",
                                          ".txt')",
                                          ".txt\",",
                                          ".txt',",
                                          "sys.stdin",
                                          ".read().splitlines(",
                                          "open(sys.argv",
                                          "open(args.",
                                          "open(a.",
                                          "open(opts.",
                                          "for line in open(",
                                          "click.file(",
                                          "argparse.filetype(",
                                          "bufio.newscanner(",
                                          "os.readfile(",
                                          "ioutil.readfile(",
                                          "files.readalllines(",
                                          "files.lines(",
                                          "readalllines(",
                                          "file.readlines(",
                                          "file.foreach(",
                                          "io.readlines(",
                                          "file.readlines",
                                          "<stdin>",
                                          "fs.readfilesync(",
                                          "createreadstream(",
                                          "readline.createinterface(",
                                          "fs::read_to_string(",
                                          ".lines()",
                                          "bufreader::new(",
                                          "file($",
                                          "file_get_contents($",
                                          "while read",
                                          "done <",
                                          "$(cat ",
                                          "file.readfile(",
                                          "parsestringtolines(",
                                          "get-content",
                                          "import-csv",
                                          "xargs",
                                          "parallel ",
                                          "-il ",
                                          "-list",
                                          "--list",
                                          NULL };

/* A host built from a loop counter: an address sweep ("10.16.8.%d", f"172.20.{i}.101"). */
static const char *const sweep_words[] = { ".%d.",  ".%d:",  ".%d/",  ".%d\"",  ".%d'",
                                           ".{i}.", ".{i}:", ".{i}/", ".{i}\"", ".$i.",
                                           ".$i:",  ".$i/",  ".${i}", NULL };

/* Fanning out: threads, pools, coroutines, concurrency limits. */
static const char *const fanout_words[] = { "threadpoolexecutor",
                                            "multiprocessing",
                                            "pool(",
                                            "concurrent.futures",
                                            "threading.thread",
                                            "multiprocessing.pool",
                                            "asyncio.gather",
                                            "asyncio.semaphore",
                                            "gevent.pool",
                                            "pool.map(",
                                            "go func(",
                                            "sync.waitgroup",
                                            "sizedwaitgroup",
                                            "errgroup",
                                            "semaphore",
                                            "for_each_concurrent(",
                                            "buffer_unordered(",
                                            "tokio::spawn",
                                            "par_iter(",
                                            "plimit(",
                                            "p-limit",
                                            "promise.all(",
                                            "async.maplimit",
                                            "parallel::forkmanager",
                                            "threads->create",
                                            "thread.new",
                                            "concurrent::",
                                            "newfixedthreadpool(",
                                            "newcachedthreadpool(",
                                            "executorservice",
                                            "parallelstream(",
                                            "curl_multi_init",
                                            "pcntl_fork",
                                            "xargs -p",
                                            "parallel -j",
                                            "start-job",
                                            "foreach-object -parallel",
                                            "runspacepool",
                                            "workers",
                                            "threads",
                                            NULL };

/* Request input a web shell reads. */
static const char *const shell_sources[] = { "$_",
                                             "context.request",
                                             "r.url.query()",
                                             "r.formvalue(",
                                             "c.postform(",
                                             "request.",
                                             "request(",
                                             "request[",
                                             "req.",
                                             "getparameter(",
                                             "getheader(",
                                             "->param(",
                                             "request.getinputstream(",
                                             "request.getreader(",
                                             "php://input",
                                             "getallheaders(",
                                             "http_",
                                             "httpcontext",
                                             "r.formvalue(",
                                             "r.url.query(",
                                             "c.query(",
                                             "ctx.query",
                                             "ctx.request",
                                             "registermapping",
                                             "filterdef",
                                             "defineclass(",
                                             "adaptedinterceptors",
                                             NULL };

/* Code execution a web shell reaches. */
static const char *const shell_sinks[] = { "exec.command(",
                                           "os/exec",
                                           "array_map(",
                                           "call_user_func_array(",
                                           "call_user_func(",
                                           "usort(",
                                           "uasort(",
                                           "array_filter(",
                                           "register_shutdown_function(",
                                           "gzinflate(",
                                           "file_put_contents(",
                                           "fwrite(",
                                           "eval(",
                                           "eval ",
                                           "assert(",
                                           "system(",
                                           "shell_exec(",
                                           "passthru(",
                                           "exec(",
                                           "popen(",
                                           "proc_open(",
                                           "create_function(",
                                           "move_uploaded_file(",
                                           "`",
                                           "@$",
                                           "str_rot13(",
                                           "base64_decode(",
                                           "preg_replace(",
                                           "execute(",
                                           "execute ",
                                           "executeglobal",
                                           "runtime.getruntime().exec(",
                                           "processbuilder(",
                                           "defineclass(",
                                           "classloader",
                                           "registermapping",
                                           "addfilterdef",
                                           "scriptengine",
                                           "child_process",
                                           "execsync(",
                                           "spawn(",
                                           "new function(",
                                           "runinthiscontext",
                                           "assembly.load(",
                                           "class.forname(",
                                           "urlclassloader",
                                           "addvalve(",
                                           "addservletmappingdecoded(",
                                           "addapplicationeventlistener(",
                                           "process.start(",
                                           "processstartinfo",
                                           "startinfo.",
                                           "os.popen(",
                                           "subprocess",
                                           "os.system(",
                                           "groovyshell",
                                           ".invoke(",
                                           "adaptedinterceptors",
                                           NULL };

bool
emb_ev_net(const char *s, size_t n)
{
    return emb_has_any(s, n, emb_ev_net_words);
}

static bool
php_ident_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c >= 0x80;
}

/*
 * "$a = $_GET['a']; ... $a($b);": a PHP variable function whose name is
 * request input, the shortest web shell there is and one no sink word names.
 * Looks at the first 16 request reads of the region, so it stays linear.
 */
static bool
php_request_call(const char *s, size_t n)
{
    const char *p = s, *end = s + n;

    for (int k = 0; k < 16 && p < end && (p = memmem(p, (size_t)(end - p), "$_", 2)) != NULL; k++) {
        const char *q = p, *ie;
        p += 2;
        while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        if (q == s || q[-1] != '=')
            continue;
        q--; /* the '=' */
        if (q > s && strchr("=!<>.+-*/%&|^?", q[-1]) != NULL)
            continue; /* a comparison or a compound assignment */
        while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        ie = q;
        while (q > s && php_ident_char((unsigned char)q[-1]))
            q--;
        if (q == ie || q == s || q[-1] != '$' || ie - q > 32)
            continue;
        /* the variable called: "$a(" or "$a (", not "$ab(" */
        size_t m = (size_t)(ie - q);
        for (const char *c = s; c < end && (c = memchr(c, '$', (size_t)(end - c))) != NULL; c++) {
            const char *a = c + 1;
            if ((size_t)(end - a) <= m || memcmp(a, q, m) != 0 ||
                php_ident_char((unsigned char)a[m]))
                continue;
            a += m;
            while (a < end && (*a == ' ' || *a == '\t'))
                a++;
            if (a < end && *a == '(')
                return true;
        }
    }
    return false;
}

/* Sinks that run code or load a class, where no fixed command stands between the input and it. */
static const char *const code_sinks[] = { "eval(",
                                          "eval ",
                                          "assert(",
                                          "create_function(",
                                          "call_user_func",
                                          "array_map(",
                                          "array_filter(",
                                          "usort(",
                                          "uasort(",
                                          "register_shutdown_function(",
                                          "preg_replace(",
                                          "file_put_contents(",
                                          "fwrite(",
                                          "move_uploaded_file(",
                                          "base64_decode(",
                                          "gzinflate(",
                                          "str_rot13(",
                                          "@$",
                                          "execute(",
                                          "execute ",
                                          "executeglobal",
                                          "defineclass(",
                                          "classloader",
                                          "registermapping",
                                          "addfilterdef",
                                          "scriptengine",
                                          "new function(",
                                          "runinthiscontext",
                                          "assembly.load(",
                                          "class.forname(",
                                          "addvalve(",
                                          "addservletmappingdecoded(",
                                          "addapplicationeventlistener(",
                                          "groovyshell",
                                          ".invoke(",
                                          "adaptedinterceptors",
                                          NULL };

/* Is s[0, m) the lower-case ASCII @a lit (m its length), caseless? */
static bool
find_ci_n(const char *s, size_t m, const char *lit)
{
    for (size_t i = 0; i < m; i++)
        if (lit[i] == '\0' || (s[i] >= 'A' && s[i] <= 'Z' ? s[i] + ('a' - 'A') : s[i]) != lit[i])
            return false;
    return lit[m] == '\0';
}

/*
 * The command a sink call at s[at] (just after its '(') runs, when it is a
 * fixed string naming a program that is not a shell, with input glued on:
 * exec("ping -c 1 " + host), shell_exec("ping -c 2 " . $ip),
 * os.popen('nslookup ' + name). "cmd /c " + x and "sh -c " + x hand the input
 * whole to a shell, and exec(cmd) hands it whole to the sink.
 */
static bool
fixed_command_arg(const char *s, size_t n, size_t at)
{
    static const char *const shells[] = { "sh",  "bash",    "zsh",        "ksh",  "dash",
                                          "cmd", "cmd.exe", "powershell", "pwsh", "powershell.exe",
                                          "csh", "tcsh",    NULL };
    size_t i = at;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || (s[i] != '"' && s[i] != '\''))
        return false;
    char q = s[i++];
    size_t a = i;
    while (i < n && i - a < 256 && s[i] != q && s[i] != '\n')
        i++;
    if (i >= n || s[i] != q)
        return false;
    size_t e = i++; /* the literal is s[a, e) */
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= n || (s[i] != '+' && s[i] != '.'))
        return false; /* not glued to anything */
    /* the program: the first word of the literal, then a blank before the input */
    size_t p = a;
    while (p < e && s[p] != ' ')
        p++;
    if (p == a || p == e)
        return false;
    size_t b = p;
    while (b > a && s[b - 1] != '/' && s[b - 1] != '\\')
        b--;
    for (size_t k = 0; shells[k] != NULL; k++)
        if (p - b == strlen(shells[k]) && find_ci_n(s + b, p - b, shells[k]))
            return false;
    for (size_t k = a; k < p; k++) {
        unsigned char c = (unsigned char)s[k];
        if (!(emb_isalpha(c) || emb_isdigit(c) || strchr("-_./\\:", c) != NULL))
            return false;
    }
    return true;
}

bool
emb_ev_runs_code(const char *s, size_t n)
{
    return emb_has_any(s, n, code_sinks) || php_request_call(s, n);
}

/*
 * Does every command sink in the region run a fixed program with the input
 * glued to its arguments, and nothing runs code? That is the command
 * injection a code audit quotes from the product (the input is one argument
 * the shell may be tricked with), not a web shell, which hands the input whole
 * to the sink.
 */
static bool
fixed_command(const char *s, size_t n)
{
    static const char *const calls[] = { "exec(",      "system(",   "popen(",         "passthru(",
                                         "proc_open(", "execsync(", "process.start(", NULL };
    size_t fixed = 0;

    /* sinks that take the command some other way are judged as before */
    static const char *const others[] = { "subprocess",
                                          "spawn(",
                                          "exec.command(",
                                          "processbuilder(",
                                          "startinfo.",
                                          "processstartinfo",
                                          "`",
                                          NULL };

    if (emb_ev_runs_code(s, n) || emb_has_any(s, n, others))
        return false;
    for (size_t c = 0; calls[c] != NULL; c++) {
        size_t m = strlen(calls[c]);
        for (size_t i = 0; i + m <= n; i++) {
            if (!find_ci_n(s + i, m, calls[c]))
                continue;
            /* "shell_exec(" is found as "exec(" too: judge the call once, by its argument */
            if (!fixed_command_arg(s, n, i + m))
                return false;
            fixed++;
        }
    }
    return fixed > 0;
}

bool
emb_ev_webshell(const char *s, size_t n)
{
    return (emb_has_any(s, n, shell_sinks) || php_request_call(s, n)) &&
           emb_has_any(s, n, shell_sources) && !fixed_command(s, n);
}

/* Is @a w (ASCII) present in s[0..n) as a word of its own (an identifier or an option)? */
static bool
has_ident(const char *s, size_t n, const char *w)
{
    size_t m = strlen(w);

    for (size_t i = 0; i + m <= n; i++) {
        size_t k = 0;
        while (k < m && (s[i + k] | 0x20) == (w[k] | 0x20))
            k++;
        if (k < m)
            continue;
        bool left = i == 0 || !emb_isalpha((unsigned char)s[i - 1]);
        bool right = i + m == n || !emb_isalpha((unsigned char)s[i + m]) ||
                     ((s[i + m] | 0x20) == 's' &&
                      (i + m + 1 == n || !emb_isalpha((unsigned char)s[i + m + 1])));
        if (left && right)
            return true;
    }
    return false;
}

static bool
py_ident_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * A program argument that reaches a network call, whatever the variable is
 * called ("u = sys.argv[1]" ... "requests.post(u + '/api/exec', ...)"): the
 * argument is the target. Looks at the first 8 assignments from sys.argv or
 * input(), so it stays linear.
 */
static bool
argv_reaches_net(const char *s, size_t n)
{
    static const char *const reads[] = { "sys.argv[", "input(", NULL };
    static const char *const calls[] = { "get",     "post",    "put",           "delete",
                                         "patch",   "head",    "request",       "urlopen",
                                         "Request", "connect", "Session().get", NULL };
    const char *end = s + n;

    for (size_t r = 0; reads[r] != NULL; r++) {
        const char *p = s;
        for (int k = 0; k < 8 && p < end &&
                        (p = memmem(p, (size_t)(end - p), reads[r], strlen(reads[r]))) != NULL;
             k++) {
            const char *q = p, *ie;
            p += strlen(reads[r]);
            while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
                q--;
            if (q == s || q[-1] != '=' || (q - 1 > s && strchr("=!<>", q[-2]) != NULL))
                continue;
            q--;
            while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
                q--;
            ie = q;
            while (q > s && py_ident_char((unsigned char)q[-1]))
                q--;
            size_t m = (size_t)(ie - q);
            if (m == 0 || m > 32)
                continue;
            /* "call(name", "call( name +", "call(f\"{name}" */
            for (const char *c = s; c < end && (c = memchr(c, '(', (size_t)(end - c))) != NULL;
                 c++) {
                const char *a = c + 1, *w = c;
                while (a < end && (*a == ' ' || *a == 'f' || *a == '"' || *a == '\'' || *a == '{'))
                    a++;
                if ((size_t)(end - a) <= m || memcmp(a, q, m) != 0 ||
                    py_ident_char((unsigned char)a[m]))
                    continue;
                while (w > s && py_ident_char((unsigned char)w[-1]))
                    w--;
                for (size_t i = 0; calls[i] != NULL; i++) {
                    size_t cl = strlen(calls[i]);
                    if ((size_t)(c - w) == cl && memcmp(w, calls[i], cl) == 0)
                        return true;
                }
            }
        }
    }
    return false;
}

bool
emb_ev_perl_file_handle(const char *s, size_t n, const char *name, size_t m)
{
    const char *end = s + n;

    if (m == 0)
        return false;
    for (const char *p = s; p < end && (p = memmem(p, (size_t)(end - p), "open", 4)) != NULL;
         p += 4) {
        const char *q = p + 4;
        if (p > s && py_ident_char((unsigned char)p[-1]))
            continue; /* "reopen", "sysopen" stay, "IO::Socket->open" is no file */
        while (q < end && (*q == ' ' || *q == '\t' || *q == '('))
            q++;
        for (size_t k = 0; k < 3; k++) {
            static const char *const decl[] = { "my ", "our ", "local " };
            size_t dl = strlen(decl[k]);
            if ((size_t)(end - q) > dl && memcmp(q, decl[k], dl) == 0) {
                q += dl;
                break;
            }
        }
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if ((size_t)(end - q) > m + 1 && *q == '$' && memcmp(q + 1, name, m) == 0 &&
            !py_ident_char((unsigned char)q[1 + m]))
            return true;
    }
    /* "$in = \*STDIN", "$fh = *ARGV" */
    for (const char *p = s; p < end && (p = memchr(p, '$', (size_t)(end - p))) != NULL; p++) {
        const char *q = p + 1;
        if ((size_t)(end - q) <= m || memcmp(q, name, m) != 0 || py_ident_char((unsigned char)q[m]))
            continue;
        q += m;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (q < end && *q == '=') {
            q++;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\\' || *q == '*'))
                q++;
            if (((size_t)(end - q) >= 5 && memcmp(q, "STDIN", 5) == 0) ||
                ((size_t)(end - q) >= 4 && memcmp(q, "ARGV", 4) == 0))
                return true;
        }
    }
    return false;
}

/*
 * Perl reading lines from a handle, "while (<$fh>)": a list of targets only
 * when the handle was opened on a file (or is STDIN/ARGV); "while (<$s>)" on
 * the script's own IO::Socket reads the server's answer.
 */
static bool
perl_list_read(const char *s, size_t n)
{
    const char *end = s + n;

    /* the first 8 reads, so it stays linear */
    const char *p = s;
    for (int k = 0; k < 8 && p < end && (p = memmem(p, (size_t)(end - p), "<$", 2)) != NULL;
         k++, p += 2) {
        const char *a = p + 2, *q = a;
        while (q < end && py_ident_char((unsigned char)*q))
            q++;
        if (q < end && *q == '>' && q > a && emb_ev_perl_file_handle(s, n, a, (size_t)(q - a)))
            return true;
    }
    return false;
}

void
emb_ev_code(const char *s, size_t n, struct emb_ev_code *out)
{
    memset(out, 0, sizeof *out);
    out->cli = emb_has_any(s, n, cli_words);
    for (size_t i = 0; target_words[i] != NULL && !out->target; i++)
        out->target = has_ident(s, n, target_words[i]);
    out->net = emb_ev_net(s, n);
    if (!out->target && out->net && out->cli)
        out->target = argv_reaches_net(s, n);
    /* a URL literal as a call's first argument ("requests.post(\"http://
     * localhost:8000/api/preview\", json=...)"): with a payload the PoC names
     * its target; a private address does not make an exploit clean
     * (corpus/README.md) */
    if (out->net) {
        static const char *const lit[] = { "(\"http://",  "('http://",  "(\"https://", "('https://",
                                           "( \"http://", "( 'http://", NULL };
        out->literal = emb_has_any(s, n, lit);
    }
    out->payload = emb_ev_payload(s, n);
    out->list = emb_has_any(s, n, list_words) || perl_list_read(s, n);
    out->fanout = emb_has_any(s, n, fanout_words);
    out->shell = emb_ev_webshell(s, n);
    out->sweep = emb_has_any(s, n, sweep_words);
}

/* ---- decoders ---- */

static int
b64val(unsigned char c)
{
    return c >= 'A' && c <= 'Z'   ? c - 'A'
           : c >= 'a' && c <= 'z' ? c - 'a' + 26
           : c >= '0' && c <= '9' ? c - '0' + 52
           : c == '+' || c == '-' ? 62
           : c == '/' || c == '_' ? 63
                                  : -1;
}

size_t
emb_ev_base64(const char *s, size_t n, unsigned char *out, size_t cap)
{
    unsigned acc = 0;
    int bits = 0;
    size_t o = 0;

    for (size_t i = 0; i < n; i++) {
        int v = b64val((unsigned char)s[i]);
        if (v < 0) {
            /* "%2B" and "%2F" in URL-encoded base64 */
            if (s[i] == '%' && i + 2 < n && s[i + 1] == '2' &&
                ((s[i + 2] | 0x20) == 'b' || (s[i + 2] | 0x20) == 'f')) {
                v = (s[i + 2] | 0x20) == 'b' ? 62 : 63;
                i += 2;
            } else {
                break;
            }
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o == cap)
                return 0;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    return o;
}

static int
hexval(unsigned char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Decoded bytes look like text (code or a command): printable ASCII mostly. */
static bool
texty(const unsigned char *d, size_t n)
{
    size_t ok = 0;

    for (size_t i = 0; i < n; i++)
        ok += (d[i] >= 0x20 && d[i] < 0x7f) || d[i] == '\n' || d[i] == '\r' || d[i] == '\t';
    return n >= 6 && ok * 10 >= n * 9;
}

/* UTF-16LE with ASCII content (PowerShell -EncodedCommand): drop the zero bytes. */
static size_t
utf16_ascii(unsigned char *d, size_t n)
{
    size_t o = 0, zeros = 0;

    for (size_t i = 1; i < n; i += 2)
        zeros += d[i] == 0;
    if (n < 8 || zeros * 10 < (n / 2) * 9)
        return 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        d[o++] = d[i];
    return o;
}

/* What a decoded token must contain to count: code, a command or a download. */
static const char *const decoded_words[] = { "eval(",
                                             "assert(",
                                             "system(",
                                             "exec(",
                                             "passthru",
                                             "shell_exec",
                                             "$_post",
                                             "$_get",
                                             "$_request",
                                             "$_cookie",
                                             "$_server",
                                             "<?php",
                                             "<%",
                                             "runtime",
                                             "processbuilder",
                                             "bash -i",
                                             "/dev/tcp/",
                                             "/bin/sh",
                                             "/bin/bash",
                                             "nc -e",
                                             "cmd.exe",
                                             "powershell",
                                             "downloadstring",
                                             "downloadfile",
                                             "iex",
                                             "invoke-expression",
                                             "net.webclient",
                                             "frombase64string",
                                             "new-object",
                                             "certutil",
                                             "bitsadmin",
                                             "wget ",
                                             "curl ",
                                             "chmod +x",
                                             "whoami",
                                             "${jndi:",
                                             "ldap://",
                                             "rmi://",
                                             "/etc/passwd",
                                             "/etc/shadow",
                                             "union select",
                                             "child_process",
                                             "require(",
                                             "import os",
                                             "__import__",
                                             NULL };

/* One base64 token at s (length n, >= 16): decode, maybe UTF-16, check. */
static bool
decoded_b64_payload(const char *s, size_t n)
{
    unsigned char buf[4096 + 1];
    size_t m = n > 5400 ? 5400 : n;
    size_t d = emb_ev_base64(s, m, buf, sizeof buf - 1);

    if (d == 0)
        return false;
    if (!texty(buf, d)) {
        d = utf16_ascii(buf, d);
        if (d == 0 || !texty(buf, d))
            return false;
    }
    buf[d] = '\0';
    return emb_has_any((const char *)buf, d, decoded_words);
}

/* Percent-decode s[0..n) (at most cap bytes) and check the result. */
static bool
decoded_pct_payload(const char *s, size_t n)
{
    char buf[2048];
    size_t o = 0, pct = 0;

    for (size_t i = 0; i < n && o < sizeof buf; i++) {
        int a, b;
        if (s[i] == '%' && i + 2 < n && (a = hexval((unsigned char)s[i + 1])) >= 0 &&
            (b = hexval((unsigned char)s[i + 2])) >= 0) {
            buf[o++] = (char)(a * 16 + b);
            i += 2;
            pct++;
        } else {
            buf[o++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    if (pct < 3)
        return false;
    return emb_has_any(buf, o, decoded_words) || emb_has_any(buf, o, payload_words);
}

size_t
emb_ev_b64_text(const char *s, size_t n, char *out, size_t cap)
{
    unsigned char *buf = (unsigned char *)out;
    size_t d;

    if (cap < 2)
        return 0;
    d = emb_ev_base64(s, n, buf, cap - 1);
    if (d == 0)
        return 0;
    if (!texty(buf, d)) {
        d = utf16_ascii(buf, d);
        if (d == 0 || !texty(buf, d))
            return 0;
    }
    out[d] = '\0';
    return d;
}

bool
emb_ev_encoded(const char *s, size_t n)
{
    /* base64 tokens of 16+ characters, and percent-encoded runs */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && (b64val((unsigned char)s[j]) >= 0 ||
                         (s[j] == '%' && j + 2 < n && s[j + 1] == '2' &&
                          ((s[j + 2] | 0x20) == 'b' || (s[j + 2] | 0x20) == 'f'))))
            j += s[j] == '%' ? 3 : 1;
        if (j - i >= 16) {
            /* skip an all-letters or all-hex run: identifiers and hashes are not base64 payloads */
            size_t digits = 0, upper = 0, lower = 0;
            for (size_t k = i; k < j; k++) {
                unsigned char c = (unsigned char)s[k];
                digits += emb_isdigit(c);
                upper += c >= 'A' && c <= 'Z';
                lower += c >= 'a' && c <= 'z';
            }
            if (upper > 0 && lower > 0 && decoded_b64_payload(s + i, j - i))
                return true;
            (void)digits;
        }
        i = j > i ? j : i + 1;
    }
    /* percent-encoded runs: from a '%' to the end of its token, a few per region */
    for (size_t a = 0, runs = 0; a < n && runs < 64; runs++) {
        const char *p = memchr(s + a, '%', n - a);
        if (p == NULL)
            break;
        size_t b = (size_t)(p - s);
        a = b;
        while (a > 0 && s[a - 1] != ' ' && s[a - 1] != '\n' && s[a - 1] != '`' && s[a - 1] != '"' &&
               s[a - 1] != '\'' && b - a < 256)
            a--;
        while (b < n && s[b] != ' ' && s[b] != '\n' && s[b] != '`' && s[b] != '"' && s[b] != '\'')
            b++;
        if (b - a >= 12 && decoded_pct_payload(s + a, b - a))
            return true;
        a = b;
    }
    return false;
}
