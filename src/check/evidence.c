/*
 * Evidence for the stage-2 validators: what an attack payload, a network
 * client, a command-line program, a target list or a web shell's request
 * input and code-execution sink look like, across languages (with a bounded
 * taint pass for PHP variables), and decoders for payloads hidden in base64,
 * UTF-16 base64 (PowerShell -enc), percent encoding, hex and rot13 literals.
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
    /* "+" and "." glue, and VBScript's "&"; a program alone before a ','
     * takes the input among its own arguments (Process.Start("ping", "-n 1 " + h)) */
    bool alone = i < n && s[i] == ',';
    if (i >= n || (s[i] != '+' && s[i] != '.' && s[i] != '&' && !alone))
        return false; /* not glued to anything */
    /* the program: the first word of the literal, then a blank before the input */
    size_t p = a;
    while (p < e && s[p] != ' ')
        p++;
    if (p == a || (p == e && !alone) || (p < e && alone))
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

/* ---- PHP: a sink or request input carried by variables (review 12, M3) ---- */

static int hexval(unsigned char c);
static bool py_ident_char(unsigned char c);

/* Functions a PHP variable function may name that run code or a command. */
static const char *const php_sink_names[] = { "assert",
                                              "eval",
                                              "system",
                                              "exec",
                                              "shell_exec",
                                              "passthru",
                                              "popen",
                                              "proc_open",
                                              "pcntl_exec",
                                              "create_function",
                                              "call_user_func",
                                              "call_user_func_array",
                                              "preg_replace",
                                              "array_map",
                                              "array_walk",
                                              "array_filter",
                                              "usort",
                                              "uasort",
                                              "uksort",
                                              "register_shutdown_function",
                                              NULL };

/* Request input in PHP: superglobals, the client's headers and the raw body. */
static const char *const php_request_reads[] = { "$_get",
                                                 "$_post",
                                                 "$_request",
                                                 "$_cookie",
                                                 "$_files",
                                                 "$_server['http_",
                                                 "$_server[\"http_",
                                                 "$_server['query_string",
                                                 "$_server[\"query_string",
                                                 "$_server['request_uri",
                                                 "$_server[\"request_uri",
                                                 "$_server['path_info",
                                                 "getallheaders(",
                                                 "apache_request_headers(",
                                                 "php://input",
                                                 "$http_raw_post_data",
                                                 NULL };

/* Is s[0, n) (any case) one of the NULL-terminated lower-case @a names? */
static bool
is_name_of(const char *s, size_t n, const char *const *names)
{
    for (size_t k = 0; names[k] != NULL; k++)
        if (find_ci_n(s, n, names[k]))
            return true;
    return false;
}

/* PHP_FOLD_MAX: the longest folded string kept (sink names are short). */
#define PHP_FOLD_MAX EMB_EV_FOLD_MAX

/*
 * Fold a PHP string expression e[0, n) into out (at most PHP_FOLD_MAX
 * bytes): quoted literals and chr(N) joined by '.', under up to four
 * wrappers strrev(), str_rot13(), base64_decode(), hex2bin(), strtolower()
 * ("'as'.'se'.'rt'", "strrev('tressa')", "chr(97).chr(115)..."). Returns the
 * length, or 0 when anything else (a variable, another call) is in it.
 */
size_t
emb_ev_php_fold(const char *e, size_t n, char *out)
{
    static const char *const wraps[] = { "strrev",  "str_rot13",  "base64_decode",
                                         "hex2bin", "strtolower", NULL };
    size_t w[4], nw = 0, i = 0, o = 0;
    char tmp[PHP_FOLD_MAX * 2 + 4];

    for (;;) {
        while (i < n && (e[i] == ' ' || e[i] == '\t' || e[i] == '(' || e[i] == '@'))
            i++;
        size_t a = i;
        while (i < n && php_ident_char((unsigned char)e[i]))
            i++;
        if (i == a)
            break;
        size_t k = 0;
        while (wraps[k] != NULL && !find_ci_n(e + a, i - a, wraps[k]))
            k++;
        if (find_ci_n(e + a, i - a, "chr")) {
            i = a; /* the body starts with chr(N) */
            break;
        }
        if (wraps[k] == NULL || nw == 4 || i >= n || e[i] != '(')
            return 0;
        w[nw++] = k;
    }
    /* the body: items joined by '.' */
    for (bool item = false; i < n;) {
        unsigned char c = (unsigned char)e[i];
        if (c == ' ' || c == '\t' || c == ')') {
            i++;
        } else if (c == '.' && item) {
            item = false;
            i++;
        } else if ((c == '\'' || c == '"') && !item) {
            size_t b = ++i;
            while (i < n && e[i] != (char)c && e[i] != '\\' && e[i] != '$')
                i++;
            if (i >= n || e[i] != (char)c || o + (i - b) > PHP_FOLD_MAX)
                return 0;
            memcpy(tmp + o, e + b, i - b);
            o += i - b;
            i++;
            item = true;
        } else if ((c == 'c' || c == 'C') && !item && n - i > 4 && find_ci_n(e + i, 3, "chr")) {
            i += 3;
            while (i < n && (e[i] == ' ' || e[i] == '('))
                i++;
            unsigned v = 0;
            size_t d = i;
            if (n - i > 2 && e[i] == '0' && (e[i + 1] | 0x20) == 'x') {
                for (i += 2, d = i; i < n && emb_ishex((unsigned char)e[i]) && i - d < 3; i++)
                    v = v * 16 + (unsigned)hexval((unsigned char)e[i]);
            } else {
                for (; i < n && emb_isdigit((unsigned char)e[i]) && i - d < 3; i++)
                    v = v * 10 + (unsigned)(e[i] - '0');
            }
            if (i == d || v == 0 || v > 255 || o == PHP_FOLD_MAX)
                return 0;
            tmp[o++] = (char)v;
            item = true;
        } else {
            return 0;
        }
    }
    if (o == 0)
        return 0;
    /* the wrappers, innermost first */
    while (nw > 0) {
        size_t k = w[--nw], m = 0;
        if (k == 0) {
            for (size_t a = 0, b = o; a < b;) {
                char t = tmp[a];
                tmp[a++] = tmp[--b];
                tmp[b] = t;
            }
        } else if (k == 1) {
            for (size_t a = 0; a < o; a++) {
                char c = tmp[a], l = (char)(c | 0x20);
                if (l >= 'a' && l <= 'z')
                    tmp[a] = (char)((c & ~0x1f) | (((c & 0x1f) - 1 + 13) % 26 + 1));
            }
        } else if (k == 2) {
            unsigned char d[PHP_FOLD_MAX];
            m = emb_ev_base64(tmp, o, d, sizeof d);
            memcpy(tmp, d, m);
            o = m;
        } else if (k == 3) {
            for (size_t a = 0; a + 1 < o; a += 2) {
                int h = hexval((unsigned char)tmp[a]), l = hexval((unsigned char)tmp[a + 1]);
                if (h < 0 || l < 0)
                    return 0;
                tmp[m++] = (char)(h * 16 + l);
            }
            o = m;
        }
        if (o == 0)
            return 0;
    }
    for (size_t a = 0; a < o; a++)
        out[a] = (char)(tmp[a] >= 'A' && tmp[a] <= 'Z' ? tmp[a] + ('a' - 'A') : tmp[a]);
    return o;
}

/* PHP_VARS: the variables one region's taint pass follows. */
#define PHP_VARS 24

struct php_var {
    const char *name; /* after the '$' */
    size_t len;
    bool taint; /* holds request input */
    bool sink;  /* holds the name of a sink */
};

static struct php_var *
php_var_find(struct php_var *v, size_t nv, const char *name, size_t len)
{
    for (size_t i = 0; i < nv; i++)
        if (v[i].len == len && memcmp(v[i].name, name, len) == 0)
            return &v[i];
    return NULL;
}

/* Does e[0, n) read request input, or name a tainted variable? */
static bool
php_tainted_expr(const char *e, size_t n, struct php_var *v, size_t nv)
{
    if (emb_has_any(e, n, php_request_reads))
        return true;
    for (size_t i = 0; i < n; i++) {
        if (e[i] != '$')
            continue;
        size_t a = i + 1, b = a;
        while (b < n && php_ident_char((unsigned char)e[b]))
            b++;
        struct php_var *t = php_var_find(v, nv, e + a, b - a);
        if (t != NULL && t->taint)
            return true;
        i = b - 1;
    }
    return false;
}

/*
 * A bounded taint pass over a PHP region: which variables hold request input
 * ("$b = $_REQUEST['x']", "$h = getallheaders(); $f = $h['X-Fn']",
 * "$_SERVER['HTTP_X']") and which hold a sink's name folded from pieces
 * ("'as'.'se'.'rt'", "strrev('tressa')", "str_rot13('flfgrz')"). A
 * variable function "$v(...)" is a sink when v holds input, or holds a sink
 * name and an argument is input, or (after parse_str()/extract() on input)
 * was never assigned. The first 64 assignments and 256 calls, so it stays
 * linear.
 */
static bool
php_taint_call(const char *s, size_t n)
{
    struct php_var v[PHP_VARS];
    size_t nv = 0, seen = 0;
    const char *end = s + n;
    char fold[PHP_FOLD_MAX];

    if (memchr(s, '$', n) == NULL)
        return false;
    for (const char *p = s; p < end && seen < 64 && (p = memchr(p, '$', (size_t)(end - p))) != NULL;
         p++) {
        const char *a = p + 1, *q = a, *r;
        while (q < end && php_ident_char((unsigned char)*q))
            q++;
        if (q == a || q - a > 32)
            continue;
        for (r = q; r < end && (*r == ' ' || *r == '\t'); r++)
            ;
        if (r >= end || *r != '=' || (r + 1 < end && (r[1] == '=' || r[1] == '>')))
            continue;
        seen++;
        for (r++; r < end && (*r == ' ' || *r == '\t'); r++)
            ;
        const char *x = r;
        while (x < end && x - r < 512 && *x != ';' && *x != '\n')
            x++;
        bool taint = php_tainted_expr(r, (size_t)(x - r), v, nv);
        size_t m = emb_ev_php_fold(r, (size_t)(x - r), fold);
        bool sink = m > 0 && is_name_of(fold, m, php_sink_names);
        struct php_var *t = php_var_find(v, nv, a, (size_t)(q - a));
        if (t == NULL && nv < PHP_VARS) {
            t = &v[nv++];
            t->name = a;
            t->len = (size_t)(q - a);
        }
        if (t != NULL) {
            t->taint = taint;
            t->sink = sink;
        }
        p = x > p ? x - 1 : p;
    }
    /* parse_str($_SERVER['QUERY_STRING']) and extract($_POST) make every
     * unassigned variable request input */
    bool implicit = false;
    static const char *const spill[] = { "parse_str(", "extract(", NULL };
    for (size_t k = 0; spill[k] != NULL && !implicit && emb_has_any(s, n, spill); k++) {
        const char *c = s;
        size_t m = strlen(spill[k]);
        for (int j = 0; j < 8 && c < end && !implicit; j++) {
            const char *f = NULL;
            for (const char *y = c; y + m <= end; y++)
                if (find_ci_n(y, m, spill[k])) {
                    f = y;
                    break;
                }
            if (f == NULL)
                break;
            const char *x = f + m;
            while (x < end && x - f < 256 && *x != ';' && *x != '\n')
                x++;
            implicit = php_tainted_expr(f + m, (size_t)(x - f - m), v, nv);
            c = f + m;
        }
    }
    seen = 0;
    for (const char *p = s;
         p < end && seen < 256 && (p = memchr(p, '$', (size_t)(end - p))) != NULL; p++) {
        const char *a = p + 1, *q = a, *r;
        while (q < end && php_ident_char((unsigned char)*q))
            q++;
        if (q == a || q - a > 32)
            continue;
        for (r = q; r < end && (*r == ' ' || *r == '\t'); r++)
            ;
        if (r >= end || *r != '(')
            continue;
        /* "$obj->$m(" and "Cls::$m(" are methods, not functions */
        if (p - s >= 2 && ((p[-1] == '>' && p[-2] == '-') || (p[-1] == ':' && p[-2] == ':')))
            continue;
        seen++;
        struct php_var *t = php_var_find(v, nv, a, (size_t)(q - a));
        const char *x = r + 1;
        int depth = 1;
        while (x < end && x - r < 256 && *x != '\n' && depth > 0) {
            depth += *x == '(' ? 1 : *x == ')' ? -1 : 0;
            x++;
        }
        if (t != NULL && t->taint)
            return true;
        if (t != NULL && t->sink && php_tainted_expr(r + 1, (size_t)(x - r - 1), v, nv))
            return true;
        if (t == NULL && implicit)
            return true;
    }
    return false;
}

/* ---- handler parameters as request input (review 12, M7) ---- */

/* What marks a function as a web handler whose parameters the client fills. */
static const char *const handler_marks[] = { "[webmethod",
                                             "<%@ webservice",
                                             "@webmethod",
                                             "[httppost",
                                             "[httpget",
                                             "[route(",
                                             "@requestmapping",
                                             "@getmapping",
                                             "@postmapping",
                                             "@requestparam",
                                             "@pathvariable",
                                             "@app.route",
                                             "@app.get(",
                                             "@app.post(",
                                             "@router.",
                                             "@bp.route",
                                             NULL };

/* Calls that run a command or code, whose arguments the parameters may reach. */
static const char *const handler_sinks[] = {
    "process.start(", "processstartinfo(", "exec(",  "system(",     "popen(", "eval(",
    "execute(",       "processbuilder(",   "spawn(", "subprocess.", NULL
};

/* HANDLER_PARAMS: the parameter names one region's handler check follows. */
#define HANDLER_PARAMS 16

/* Is the identifier w[0, m) in e[0, n) outside string literals? */
static bool
ident_outside_strings(const char *e, size_t n, const char *w, size_t m)
{
    char q = 0;

    for (size_t i = 0; i < n; i++) {
        char c = e[i];
        if (q != 0) {
            if (c == '\\')
                i++;
            else if (c == q)
                q = 0;
            continue;
        }
        if (c == '"' || c == '\'') {
            q = c;
            continue;
        }
        if (n - i >= m && memcmp(e + i, w, m) == 0 &&
            (i == 0 || !py_ident_char((unsigned char)e[i - 1])) &&
            (i + m == n || !py_ident_char((unsigned char)e[i + m])))
            return true;
    }
    return false;
}

/*
 * A web handler's parameter reaching a command or code sink: "[WebMethod]
 * public string Run(string c) { Process.Start("cmd", "/c " + c) }", an
 * asmx/ASP.NET or Spring method, a Flask route's path parameter. The
 * parameters are those of every signature "name(type a, type b) {" or
 * "def name(a, b):" in a region that carries a handler mark.
 */
static bool
handler_param_sink(const char *s, size_t n)
{
    const char *names[HANDLER_PARAMS];
    size_t lens[HANDLER_PARAMS], np = 0;
    const char *end = s + n;

    if (!emb_has_any(s, n, handler_marks))
        return false;
    for (const char *p = s;
         p < end && np < HANDLER_PARAMS && (p = memchr(p, '(', (size_t)(end - p))) != NULL; p++) {
        if (p == s || !py_ident_char((unsigned char)p[-1]))
            continue;
        const char *c = memchr(p, ')', (size_t)(end - p) < 256 ? (size_t)(end - p) : 256);
        if (c == NULL || memchr(p, '\n', (size_t)(c - p)) != NULL)
            continue;
        const char *y = c + 1;
        while (y < end && (*y == ' ' || *y == '\t' || *y == '\r' || *y == '\n') && y - c < 8)
            y++;
        if (y >= end || (*y != '{' && *y != ':' && !(end - y > 6 && memcmp(y, "throws", 6) == 0)))
            continue;
        /* each parameter's last identifier before ',' ')' or a default/annotation */
        for (const char *a = p + 1; a < c && np < HANDLER_PARAMS;) {
            const char *b = a;
            while (b < c && *b != ',')
                b++;
            const char *t = b;
            const char *cut = memchr(a, '=', (size_t)(b - a));
            const char *colon = memchr(a, ':', (size_t)(b - a));
            if (cut == NULL || (colon != NULL && colon < cut))
                cut = colon;
            if (cut != NULL)
                t = cut;
            while (t > a && (t[-1] == ' ' || t[-1] == '\t'))
                t--;
            const char *h = t;
            while (h > a && py_ident_char((unsigned char)h[-1]))
                h--;
            size_t m = (size_t)(t - h);
            if (m > 0 && m <= 32 && !find_ci_n(h, m, "self") && !find_ci_n(h, m, "this") &&
                !find_ci_n(h, m, "request"))
                names[np] = h, lens[np++] = m;
            a = b + 1;
        }
        p = c;
    }
    if (np == 0)
        return false;
    /* a sink call whose arguments (to the end of the line) name a parameter */
    for (size_t k = 0; handler_sinks[k] != NULL; k++) {
        size_t m = strlen(handler_sinks[k]);
        int calls = 0;
        for (const char *p = s; p + m <= end && calls < 32; p++) {
            if (!find_ci_n(p, m, handler_sinks[k]))
                continue;
            calls++;
            const char *a = p + m, *x = a;
            while (x < end && *x != '\n' && x - a < 256)
                x++;
            for (size_t i = 0; i < np; i++)
                if (ident_outside_strings(a, (size_t)(x - a), names[i], lens[i]))
                    return true;
        }
    }
    return false;
}

/*
 * A PHP callback sink: a function that calls back by name handed a sink's
 * name as a literal ("array_walk($a, 'assert')", "usort($x, 'system')");
 * array_map( is a sink word already. The first 64 calls.
 */
static bool
php_callback_sink(const char *s, size_t n)
{
    static const char *const takers[] = { "array_walk",
                                          "array_walk_recursive",
                                          "array_reduce",
                                          "array_filter",
                                          "uasort",
                                          "uksort",
                                          "usort",
                                          "iterator_apply",
                                          "call_user_func",
                                          "call_user_func_array",
                                          "register_shutdown_function",
                                          "register_tick_function",
                                          "forward_static_call",
                                          "ob_start",
                                          NULL };
    int calls = 0;

    for (size_t i = 0; i + 6 < n && calls < 64; i++) {
        if (!emb_isalpha((unsigned char)s[i]) || (i > 0 && php_ident_char((unsigned char)s[i - 1])))
            continue;
        size_t j = i;
        while (j < n && php_ident_char((unsigned char)s[j]))
            j++;
        if (j >= n || s[j] != '(' || !is_name_of(s + i, j - i, takers)) {
            i = j > i ? j - 1 : i;
            continue;
        }
        calls++;
        /* quoted literals among the arguments, to the end of the line */
        for (size_t k = j + 1; k < n && s[k] != '\n' && k - j < 256; k++) {
            if (s[k] != '\'' && s[k] != '"')
                continue;
            size_t a = k + 1, b = a;
            while (b < n && s[b] != s[k] && b - a < 32 && s[b] != '\n')
                b++;
            if (b < n && s[b] == s[k] && b > a && is_name_of(s + a, b - a, php_sink_names))
                return true;
            k = b;
        }
        i = j;
    }
    return false;
}

bool
emb_ev_runs_code(const char *s, size_t n)
{
    return emb_has_any(s, n, code_sinks) || php_request_call(s, n) || php_taint_call(s, n) ||
           php_callback_sink(s, n);
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
    return (((emb_has_any(s, n, shell_sinks) || php_request_call(s, n) || php_taint_call(s, n) ||
              php_callback_sink(s, n)) &&
             emb_has_any(s, n, shell_sources)) ||
            handler_param_sink(s, n)) &&
           !fixed_command(s, n);
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

/* ---- shells hidden in encoded literals or written without letters (review 12, M6) ---- */

size_t
emb_ev_hex(const char *s, size_t n, unsigned char *out, size_t cap)
{
    size_t o = 0;

    if (n % 2 != 0)
        return 0;
    for (size_t i = 0; i < n; i += 2) {
        int h = hexval((unsigned char)s[i]), l = hexval((unsigned char)s[i + 1]);
        if (h < 0 || l < 0 || o == cap)
            return 0;
        out[o++] = (unsigned char)(h * 16 + l);
    }
    return o;
}

/* Decoded bytes d[0, m) that are text holding a web shell. */
static bool
decoded_shell(unsigned char *d, size_t m)
{
    return m > 0 && texty(d, m) && emb_ev_webshell((const char *)d, m);
}

/*
 * Hex literals of 16+ digits ("0x3c3f706870..." that SQL writes INTO
 * OUTFILE, hex2bin('3c3f...')), decoded (the first EMB_EV_BLOB_MAX bytes of
 * each, the first 64 literals) and judged as code.
 */
static bool
hex_blob_shell(const char *s, size_t n)
{
    unsigned char buf[EMB_EV_BLOB_MAX];
    int lits = 0;

    for (size_t i = 0; i + 16 < n && lits < 64; i++) {
        bool lead = (s[i] == '0' && (s[i + 1] | 0x20) == 'x') || s[i] == '\'' || s[i] == '"';
        if (!lead || (s[i] == '0' && i > 0 && emb_isword((unsigned char)s[i - 1])))
            continue;
        size_t a = i + (s[i] == '0' ? 2 : 1), j = a;
        while (j < n && emb_ishex((unsigned char)s[j]))
            j++;
        if (j - a < 16) {
            i = j > i ? j - 1 : i;
            continue;
        }
        lits++;
        size_t m = j - a;
        if (m > 2 * EMB_EV_BLOB_MAX)
            m = 2 * EMB_EV_BLOB_MAX;
        m -= m % 2;
        if (decoded_shell(buf, emb_ev_hex(s + a, m, buf, sizeof buf)))
            return true;
        i = j - 1;
    }
    return false;
}

/* str_rot13('...') literals (the first 64), decoded and judged as code. */
static bool
rot13_blob_shell(const char *s, size_t n)
{
    unsigned char buf[EMB_EV_BLOB_MAX];
    int lits = 0;

    for (size_t i = 0; i + 12 < n && lits < 64; i++) {
        if ((s[i] | 0x20) != 's' || !find_ci_n(s + i, 10, "str_rot13("))
            continue;
        size_t a = i + 10;
        while (a < n && s[a] == ' ')
            a++;
        if (a >= n || (s[a] != '\'' && s[a] != '"'))
            continue;
        char q = s[a++];
        size_t j = a;
        while (j < n && s[j] != q && j - a < EMB_EV_BLOB_MAX)
            j++;
        lits++;
        for (size_t k = a; k < j; k++) {
            unsigned char c = (unsigned char)s[k], l = (unsigned char)(c | 0x20);
            buf[k - a] = l >= 'a' && l <= 'z'
                             ? (unsigned char)((c & ~0x1f) | (((c & 0x1f) + 12) % 26 + 1))
                             : c;
        }
        if (decoded_shell(buf, j - a))
            return true;
        i = j;
    }
    return false;
}

/*
 * Code execution of a literal blob through a decoder chain:
 * "eval(gzinflate(base64_decode('S03OyFdQ...')))". A compressed blob cannot
 * be read without inflating it, and a chain of two decoders, or one that
 * inflates, around a literal of 16+ characters is how packed shells are
 * written; a single base64_decode is judged by what it decodes to
 * (emb_ev_encoded).
 */
static bool
decoder_chain(const char *s, size_t n)
{
    static const char *const runs[] = { "eval", "assert", "create_function", "preg_replace", NULL };
    static const char *const decoders[] = { "gzinflate",     "gzuncompress",     "gzdecode",
                                            "base64_decode", "str_rot13",        "strrev",
                                            "hex2bin",       "convert_uudecode", NULL };
    int calls = 0;

    for (size_t i = 0; i + 4 < n && calls < 64; i++) {
        size_t r = 0, m = 0;
        if (i > 0 && php_ident_char((unsigned char)s[i - 1]))
            continue;
        while (runs[r] != NULL && ((m = strlen(runs[r])) > n - i || !find_ci_n(s + i, m, runs[r])))
            r++;
        if (runs[r] == NULL)
            continue;
        calls++;
        size_t j = i + m, chain = 0;
        bool inflate = false;
        for (;;) {
            while (j < n && (s[j] == ' ' || s[j] == '(' || s[j] == '@'))
                j++;
            size_t a = j;
            while (j < n && php_ident_char((unsigned char)s[j]))
                j++;
            size_t d = 0;
            while (decoders[d] != NULL && !find_ci_n(s + a, j - a, decoders[d]))
                d++;
            if (j == a || decoders[d] == NULL || chain == 8) {
                j = a;
                break;
            }
            chain++;
            inflate = inflate || d < 3;
        }
        if (chain == 0 || (chain == 1 && !inflate) || j >= n || (s[j] != '\'' && s[j] != '"'))
            continue;
        size_t a = ++j;
        while (j < n && s[j] != s[a - 1] && b64val((unsigned char)s[j]) >= 0 && j - a < 64)
            j++;
        if (j - a >= 16)
            return true;
    }
    return false;
}

/*
 * A PHP shell written without letters: strings built by XOR or NOT of quoted
 * characters ("('%01'^'`')", "$_^\"<\"", "~'\x9e'") or by incrementing
 * "$_++", then called through a variable made of underscores ("$_($___[_])",
 * "${$_}[_](...)"). The lines with those operators (comments left out) must
 * be nearly letterless: at most one byte in eight an ASCII letter.
 */
static bool
php_letterless(const char *s, size_t n)
{
    static const char *const calls[] = { "$_(", "$__(", "$___(", "${$_", "$$_", "]($", NULL };
    size_t letters = 0, solid = 0, ops = 0;

    if (!emb_has_any(s, n, calls))
        return false;
    for (size_t ls = 0; ls < n;) {
        size_t le = ls;
        while (le < n && s[le] != '\n')
            le++;
        size_t lops = 0, llet = 0, lsolid = 0;
        for (size_t i = ls; i < le; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '/' && i + 1 < le && (s[i + 1] == '/' || s[i + 1] == '*'))
                break; /* a comment to the end of the line */
            if (c == '<' && le - i >= 5 && find_ci_n(s + i, 5, "<?php")) {
                i += 4;
                continue;
            }
            if (c == '^' || c == '~') {
                size_t b = i, f = i + 1;
                while (b > ls && s[b - 1] == ' ')
                    b--;
                while (f < le && s[f] == ' ')
                    f++;
                bool right = f < le && (s[f] == '\'' || s[f] == '"' || s[f] == '$' || s[f] == '(');
                bool left = c == '~' || (b > ls && (s[b - 1] == '\'' || s[b - 1] == '"' ||
                                                    s[b - 1] == '_' || s[b - 1] == ')'));
                lops += left && right;
            } else if (c == '+' && i + 1 < le && s[i + 1] == '+' && i > ls && s[i - 1] == '_') {
                lops++;
            }
            llet += emb_isalpha(c);
            lsolid += c > ' ';
        }
        if (lops > 0) {
            ops += lops;
            letters += llet;
            solid += lsolid;
        }
        ls = le + 1;
    }
    return ops > 0 && solid >= 16 && letters * 8 <= solid;
}

bool
emb_ev_hidden_shell(const char *s, size_t n)
{
    return decoder_chain(s, n) || hex_blob_shell(s, n) || rot13_blob_shell(s, n) ||
           php_letterless(s, n);
}
