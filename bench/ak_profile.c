#include "config.h"

#include "data/profile.h"

/* Runs `autokaggle profile` on its own, for the benchmark (and for trying
 * the command before it is wired into the main program). */
int
main(int argc, char **argv)
{
	argv[0] = "profile";
	return profile_cmd(argc, argv);
}
