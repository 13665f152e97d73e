#ifndef AK_FUZZ_FILE_H
#define AK_FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The fuzz input as a file the readers can open by name, without touching
 * the disk: a memfd behind /proc/self/fd. Returns the descriptor (close it
 * when done); path gets the name. */
static inline int
fuzz_file(const uint8_t *data, size_t size, char *path, size_t n)
{
	int fd = memfd_create("fuzz.csv", 0);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, n, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
