/*
 * Tests for src/core/account.c: session liveness at the edges of the idle
 * timeout and the absolute lifetime, the touch interval, and the password
 * rules at their limits (length in characters at min-1 and min, bytes at
 * max and max+1, control characters, invalid UTF-8, the login itself).
 */
#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "t.h"

static void
test_alive(void)
{
    /* seen at 100, idle 30, absolute end 200 */
    T_OK(emb_session_alive(100, 200, 100, 30));
    T_OK(emb_session_alive(100, 200, 129, 30));
    T_OK(!emb_session_alive(100, 200, 130, 30));
    T_OK(emb_session_alive(190, 200, 199, 30));
    T_OK(!emb_session_alive(199, 200, 200, 30)); /* the absolute end wins */
    T_OK(emb_session_alive(150, 200, 120, 30));  /* clock stepped back: just seen */
    T_OK(!emb_session_alive(100, 200, 100, 0));  /* idle 0: never alive */
}

static void
test_touch(void)
{
    T_EQ_INT(emb_account_touch_interval(0), EMB_ACCOUNT_TOUCH_MAX);
    T_EQ_INT(emb_account_touch_interval(-5), EMB_ACCOUNT_TOUCH_MAX);
    T_EQ_INT(emb_account_touch_interval(1800), EMB_ACCOUNT_TOUCH_MAX);
    T_EQ_INT(emb_account_touch_interval(600), 60);
    T_EQ_INT(emb_account_touch_interval(599), 59);
    T_EQ_INT(emb_account_touch_interval(100), 10);
    T_EQ_INT(emb_account_touch_interval(9), 0);
    T_OK(!emb_account_touch_due(100, 109, 10));
    T_OK(emb_account_touch_due(100, 110, 10));
    T_OK(!emb_account_touch_due(100, 100, 0)); /* same second: nothing to write */
    T_OK(emb_account_touch_due(100, 101, 0));
    T_OK(!emb_account_touch_due(100, 90, 0));       /* never backwards */
    T_OK(emb_account_touch_due(0, 1764000000, 60)); /* never used: 0 is long ago */
}

static void
test_password(void)
{
    char why[128], *big = malloc(EMB_ACCOUNT_PASSWORD_MAX + 2);

    T_EQ_INT(emb_password_acceptable("correct horse", 13, 12, "u-a", why, sizeof why), EMB_OK);
    T_EQ_INT(emb_password_acceptable("eleven char", 11, 12, "u-a", why, sizeof why), EMB_EINVAL);
    T_OK(strstr(why, "shorter than 12 characters") != NULL);
    /* characters, not bytes: 4 CJK characters are 12 bytes */
    T_EQ_INT(emb_password_acceptable("漏洞管理", 12, 4, NULL, why, sizeof why), EMB_OK);
    T_EQ_INT(emb_password_acceptable("漏洞管理", 12, 5, NULL, why, sizeof why), EMB_EINVAL);
    T_EQ_INT(emb_password_acceptable("tab\there-ok?", 12, 8, NULL, why, sizeof why), EMB_EINVAL);
    T_OK(strstr(why, "control") != NULL);
    T_EQ_INT(emb_password_acceptable("nul\0inside--", 12, 8, NULL, why, sizeof why), EMB_EINVAL);
    T_EQ_INT(emb_password_acceptable("del\x7finside--", 12, 8, NULL, why, sizeof why), EMB_EINVAL);
    T_EQ_INT(emb_password_acceptable("c1\xc2\x85inside--", 12, 8, NULL, why, sizeof why),
             EMB_EINVAL);
    T_EQ_INT(emb_password_acceptable("bad\xff utf-8 here", 16, 8, NULL, why, sizeof why),
             EMB_EINVAL);
    T_OK(strstr(why, "UTF-8") != NULL);
    T_EQ_INT(emb_password_acceptable("u-longlogin1", 12, 8, "u-longlogin1", why, sizeof why),
             EMB_EINVAL);
    T_OK(strstr(why, "login") != NULL);
    T_EQ_INT(emb_password_acceptable("u-longlogin1", 12, 8, "u-longlogin", why, sizeof why),
             EMB_OK);
    memset(big, 'p', EMB_ACCOUNT_PASSWORD_MAX + 1);
    T_EQ_INT(emb_password_acceptable(big, EMB_ACCOUNT_PASSWORD_MAX, 8, NULL, why, sizeof why),
             EMB_OK);
    T_EQ_INT(emb_password_acceptable(big, EMB_ACCOUNT_PASSWORD_MAX + 1, 8, NULL, why, sizeof why),
             EMB_ELIMIT);
    free(big);
}

int
main(void)
{
    T_RUN(test_alive);
    T_RUN(test_touch);
    T_RUN(test_password);
    return T_DONE();
}
