/*
 * Throughput of the `embargo check` input layer (src/check/doc.c and
 * src/check/input/): UTF-8 validation, the Markdown block pass, and a whole
 * emb_doc_load() of a large generated Markdown write-up. The reference in
 * the same run is util's emb_utf8_valid() and, for the block pass,
 * cmark-gfm's full parse of the same text. Built and run by
 * bench/check-input/run.sh; figures go to docs/PERFORMANCE.md.
 *
 *   usage: bench_check_input [MB]   (default 48)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmark-gfm.h>

#include "check/doc.h"
#include "check/input/build.h"
#include "check/input/encoding.h"
#include "util/buf.h"
#include "util/utf8.h"

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A write-up section repeated: headings, prose in Chinese and English, a list, code, a table. */
static char *
gen_markdown(size_t target, size_t *len, int cjk)
{
    static const char *const zh =
        "## 漏洞描述\n\n某网络产品的管理接口存在远程代码执行漏洞，攻击者可以在未认证的情况下"
        "向接口发送特制请求，从而在设备上执行任意命令。该问题影响 2.0 之前的全部版本。\n"
        "厂商已于 2024 年发布修复版本，建议用户尽快升级。\n\n"
        "**复现步骤**\n\n1. 登录管理界面\n2. 发送如下请求：\n\n"
        "```http\nPOST /api/v1/exec HTTP/1.1\nHost: 192.0.2.10\nContent-Type: application/json\n\n"
        "{\"cmd\": \"id\"}\n```\n\n"
        "| 版本 | 状态 |\n|---|---|\n| 1.9 | 受影响 |\n| 2.0 | 已修复 |\n\n"
        "> 注意：请勿在未授权的系统上测试。\n\n";
    static const char *const en =
        "## Description\n\nThe management interface of the product accepts unauthenticated "
        "requests to an endpoint that executes shell commands. An attacker on the network can "
        "send a crafted request and run arbitrary commands as root. Versions before 2.0 are "
        "affected; see the vendor advisory for details and the fixed release.\n"
        "The issue was reported to the vendor in January and fixed in March.\n\n"
        "**Reproduction**\n\n1. Log in to the web interface\n2. Send the request below:\n\n"
        "```http\nPOST /api/v1/exec HTTP/1.1\nHost: 192.0.2.10\nContent-Type: application/json\n\n"
        "{\"cmd\": \"id\"}\n```\n\n"
        "| Version | Status |\n|---|---|\n| 1.9 | affected |\n| 2.0 | fixed |\n\n"
        "> Note: do not test systems you are not authorised to test.\n\n";
    const char *unit = cjk ? zh : en;
    size_t ul = strlen(unit), n = 0;
    char *s = malloc(target + ul + 1);

    if (s == NULL)
        abort();
    while (n + ul <= target) {
        memcpy(s + n, unit, ul);
        n += ul;
    }
    s[n] = '\0';
    *len = n;
    return s;
}

/* Best of @a reps runs, in MB/s (1 MB = 1e6 bytes). */
#define BEST_MBS(reps, len, stmt)             \
    ({                                        \
        double best = 1e30;                   \
        for (int r_ = 0; r_ < (reps); r_++) { \
            double t0_ = now();               \
            stmt;                             \
            double t_ = now() - t0_;          \
            if (t_ < best)                    \
                best = t_;                    \
        }                                     \
        (double)(len) / best / 1e6;           \
    })

int
main(int argc, char **argv)
{
    size_t mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 48;
    volatile int sink = 0;

    for (int cjk = 0; cjk < 2; cjk++) {
        size_t len;
        char *s = gen_markdown(mb * 1000 * 1000, &len, cjk);
        size_t nblocks = 0;
        double v_ours, v_util, blocks, load, cm;

        v_ours = BEST_MBS(5, len, sink += emb_enc_utf8_valid(s, len, NULL));
        v_util = BEST_MBS(5, len, sink += emb_utf8_valid(s, len, NULL));
        blocks = BEST_MBS(5, len, {
            struct emb_doc_build b;
            emb_doc_build_init(&b, NULL);
            sink += emb_md_blocks(s, len, &b);
            nblocks = b.nblocks;
            emb_doc_build_free(&b);
        });
        load = BEST_MBS(5, len, {
            struct emb_doc d;
            struct emb_doc_err err;
            if (emb_doc_load("bench.md", s, len, NULL, &d, &err) != EMB_OK) {
                fprintf(stderr, "load: %s\n", err.msg);
                exit(1);
            }
            emb_doc_free(&d);
        });
        cm = BEST_MBS(1, len, {
            cmark_node *doc = cmark_parse_document(s, len, CMARK_OPT_DEFAULT);
            cmark_node_free(doc);
        });
        /* A typical write-up size: everything stays in cache, no fresh pages. */
        size_t small = 256 * 1000, slen;
        char *sm = gen_markdown(small, &slen, cjk);
        double sblocks = BEST_MBS(5, slen * 200, {
            for (int k = 0; k < 200; k++) {
                struct emb_doc_build b;
                emb_doc_build_init(&b, NULL);
                sink += emb_md_blocks(sm, slen, &b);
                emb_doc_build_free(&b);
            }
        });
        double sload = BEST_MBS(5, slen * 200, {
            for (int k = 0; k < 200; k++) {
                struct emb_doc d;
                struct emb_doc_err err;
                if (emb_doc_load("bench.md", sm, slen, NULL, &d, &err) != EMB_OK)
                    exit(1);
                emb_doc_free(&d);
            }
        });
        free(sm);
        printf("%s markdown, %.1f MB, %zu blocks:\n", cjk ? "Chinese" : "English", len / 1e6,
               nblocks);
        printf("  utf8 validate (check/input)   %8.0f MB/s\n", v_ours);
        printf("  utf8 validate (util, ref)     %8.0f MB/s\n", v_util);
        printf("  markdown block pass           %8.0f MB/s\n", blocks);
        printf("  emb_doc_load (all of it)      %8.0f MB/s\n", load);
        printf("  cmark-gfm parse (ref)         %8.0f MB/s\n", cm);
        printf("  same text, %.0f KB document, loaded 200 times:\n", slen / 1e3);
        printf("  markdown block pass           %8.0f MB/s\n", sblocks);
        printf("  emb_doc_load (all of it)      %8.0f MB/s\n", sload);
        free(s);
    }
    return sink == 42 ? 1 : 0;
}
