/* `embargo serve`: the command entry; the daemon itself is src/daemon/serve.c. */
#include "cli/cli.h"
#include "daemon/daemon.h"

int
emb_cmd_serve(int argc, char **argv)
{
    return emb_daemon_serve(argc, argv);
}
