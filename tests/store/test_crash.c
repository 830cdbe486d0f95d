/*
 * Crash safety: a child process creates cases in a loop and prints each
 * case id once emb_store_case_create has returned (committed, durable). The
 * parent SIGKILLs it at a random moment, several rounds in a row, then
 * reopens the store and checks that every id the child reported is there
 * and readable, and that the audit chain (with its checkpoints and the
 * witness file) verifies. SIGKILL stands in for a process crash; a power
 * cut also needs synchronous=FULL, which the store sets (docs/design/store.md).
 * Run per backend: on PostgreSQL the killed client's session ends with its
 * socket and the server rolls back what it had not committed.
 */
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include <sodium.h>

#include "store_t.h"

static struct st_fix F;
#define ROUNDS  6
#define IDS_MAX 4096

static char ids[IDS_MAX][EMB_CASE_ID_LEN + 1];
static size_t n_ids;

static void
child(int fd)
{
    struct emb_case *c = calloc(1, sizeof(*c)), *back = calloc(1, sizeof(*back));
    struct emb_store_ctx cx = { .actor = &F.coord, .now = 1764000000 };
    struct emb_decision dec;
    char id[EMB_CASE_ID_LEN + 1], line[32];

    if (st_open(&F) != 0)
        _exit(3);
    st_case(c, "crash");
    for (;;) {
        cx.now++;
        if (emb_store_case_create(F.st, &cx, c, NULL, "web", "x", 1, &dec, id) != EMB_OK)
            _exit(4);
        int n = snprintf(line, sizeof(line), "%s\n", id);
        if (write(fd, line, (size_t)n) != n)
            _exit(5);
        if (emb_store_case_read(F.st, &cx, id, back, NULL, &dec) != EMB_OK)
            _exit(6);
    }
}

static void
test_kill_rounds(void)
{
    struct emb_audit_verify_report rep;
    uint8_t pk[EMB_SIGN_PK_BYTES];

    emb_crypto_signkey_public(F.signer, pk);
    emb_store_close(F.st);
    F.st = NULL;
    for (int round = 0; round < ROUNDS; round++) {
        int p[2], status = 0;
        pid_t pid;
        char buf[4096], part[EMB_CASE_ID_LEN + 2];
        size_t plen = 0;
        struct timespec start, now;
        long limit_ms = 50 + (long)randombytes_uniform(400);
        bool started;

        T_OK(pipe(p) == 0);
        pid = fork();
        if (pid == 0) {
            close(p[0]);
            child(p[1]);
        }
        close(p[1]);
        /* read reports until the random deadline, counted from the first
         * report (opening the store may take a while on a busy machine),
         * then kill mid-stream */
        started = false;
        for (;;) {
            ssize_t n = read(p[0], buf, sizeof(buf));
            if (n <= 0)
                break;
            for (ssize_t i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    part[plen] = '\0';
                    if (plen == EMB_CASE_ID_LEN && n_ids < IDS_MAX)
                        memcpy(ids[n_ids++], part, EMB_CASE_ID_LEN + 1);
                    plen = 0;
                } else if (plen < sizeof(part) - 1) {
                    part[plen++] = buf[i];
                }
            }
            if (!started) {
                clock_gettime(CLOCK_MONOTONIC, &start);
                started = true;
            }
            clock_gettime(CLOCK_MONOTONIC, &now);
            if ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000 >
                limit_ms) {
                kill(pid, SIGKILL);
                break;
            }
        }
        waitpid(pid, &status, 0);
        /* ids written to the pipe before the kill are still in it */
        for (;;) {
            ssize_t n = read(p[0], buf, sizeof(buf));
            if (n <= 0)
                break;
            for (ssize_t i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    part[plen] = '\0';
                    if (plen == EMB_CASE_ID_LEN && n_ids < IDS_MAX)
                        memcpy(ids[n_ids++], part, EMB_CASE_ID_LEN + 1);
                    plen = 0;
                } else if (plen < sizeof(part) - 1) {
                    part[plen++] = buf[i];
                }
            }
        }
        close(p[0]);
        T_OK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

        /* every reported id is there, and the chain verifies */
        T_OK(st_open(&F) == 0);
        {
            struct emb_case *c = calloc(1, sizeof(*c));
            struct emb_store_ctx cx = { .actor = &F.coord, .now = 1764000000 };
            struct emb_decision dec;
            size_t missing = 0;
            for (size_t i = 0; i < n_ids; i++)
                if (emb_store_case_read(F.st, &cx, ids[i], c, NULL, &dec) != EMB_OK)
                    missing++;
            T_EQ_INT(missing, 0);
            free(c);
        }
        T_EQ_INT(emb_store_audit_verify(F.st, F.witness, pk, 1, &rep), EMB_OK);
        if (rep.fault != EMB_AUDIT_OK)
            fprintf(stderr, "round %d: %s at %llu: %s\n", round, emb_audit_fault_name(rep.fault),
                    (unsigned long long)rep.bad_seq, rep.why);
        emb_store_close(F.st);
        F.st = NULL;
    }
    printf("%zu committed cases checked after %d kills\n", n_ids, ROUNDS);
    T_OK(n_ids > ROUNDS);
    T_OK(st_open(&F) == 0);
}

int
main(void)
{
    for (size_t b = 0; b < EMB_ARRAY_LEN(st_backends); b++) {
        n_ids = 0;
        if (!st_start(b, &F))
            continue;
        T_RUN(test_kill_rounds);
        st_teardown(&F);
    }
    return T_DONE();
}
