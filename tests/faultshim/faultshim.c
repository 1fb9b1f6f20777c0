/*
 * faultshim: an LD_PRELOAD library for the station's storage tests (DUR-3, DUR-6). Linux only.
 *
 * It wraps write, pwrite, pwrite64, writev, ftruncate, ftruncate64, fsync and fdatasync. Calls on
 * a regular file whose path (read from /proc/self/fd, so open, openat, dup and inherited fds are
 * all seen) starts with $FAULTSHIM_DIR/ are "tracked"; every other call goes straight through.
 *
 * 1. Error injection. $FAULTSHIM_CTL names a control file, re-read on every tracked call:
 *      ok                       nothing is injected (also: empty, missing or unknown content)
 *      fail-write N [ENOSPC]    the Nth and later write/pwrite/writev fail (EIO unless ENOSPC)
 *      fail-sync N [ENOSPC]     the Nth and later fsync/fdatasync fail
 *      delay-sync U             every fsync/fdatasync first sleeps U microseconds, like a disk
 *                               flushing its cache (so a kill lands between write and sync)
 *    N counts tracked calls of that kind since the content last changed; a failed call returns
 *    -1 with errno set and does not touch the file. ftruncate is never failed.
 *
 * 2. Undo log. If $FAULTSHIM_UNDO is set, before each tracked write or ftruncate the bytes it
 *    is about to replace and the file's size are appended to that file ("UNDO" records), and
 *    after each successful fsync/fdatasync a "SYNC" record names the file. Replaying, per file,
 *    the UNDO records after its last SYNC in reverse order gives the file as a power loss would
 *    leave it (tests/faultshim/__init__.py: simulate_power_loss). Record layout, native byte
 *    order, no padding: char tag[4]; uint32 path_len; int64 offset; int64 old_size;
 *    uint64 data_len; path bytes; data bytes.
 *
 * One mutex serialises the control state, the log and the wrapped call itself, so an undo
 * record always describes the bytes its write replaced. If the log cannot be written the
 * process aborts: a silently missing record would make a lost write look durable.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*pwrite64_fn)(int, const void *, size_t, off64_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef int (*ftruncate_fn)(int, off_t);
typedef int (*ftruncate64_fn)(int, off64_t);
typedef int (*sync_fn)(int);

static write_fn real_write;
static pwrite_fn real_pwrite;
static pwrite64_fn real_pwrite64;
static writev_fn real_writev;
static ftruncate_fn real_ftruncate;
static ftruncate64_fn real_ftruncate64;
static sync_fn real_fsync;
static sync_fn real_fdatasync;

enum op { OP_NONE, OP_WRITE, OP_SYNC };

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char watched[PATH_MAX]; /* $FAULTSHIM_DIR with a trailing '/', or "" */
static size_t watched_len;
static char ctl_path[PATH_MAX];
static char undo_path[PATH_MAX];
static int undo_fd = -1;

static char ctl_seen[128]; /* the control file's content when last parsed */
static enum op fail_op = OP_NONE;
static long fail_from;
static int fail_errno;
static long calls_seen;
static long sync_delay_us;

static void die(const char *what) {
    char message[512];
    int n = snprintf(message, sizeof message, "faultshim: %s: %s\n", what, strerror(errno));
    if (n > 0 && real_write != NULL) {
        (void)real_write(2, message, (size_t)n < sizeof message ? (size_t)n : sizeof message - 1);
    }
    abort();
}

static void lock_for_fork(void) { pthread_mutex_lock(&lock); }
static void unlock_after_fork(void) { pthread_mutex_unlock(&lock); }

static void copy_env(const char *name, char *out, size_t size) {
    const char *value = getenv(name);
    if (value != NULL && strlen(value) < size) {
        strcpy(out, value);
    }
}

static void init(void) {
    real_write = (write_fn)dlsym(RTLD_NEXT, "write");
    real_pwrite = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = (pwrite64_fn)dlsym(RTLD_NEXT, "pwrite64");
    real_writev = (writev_fn)dlsym(RTLD_NEXT, "writev");
    real_ftruncate = (ftruncate_fn)dlsym(RTLD_NEXT, "ftruncate");
    real_ftruncate64 = (ftruncate64_fn)dlsym(RTLD_NEXT, "ftruncate64");
    real_fsync = (sync_fn)dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = (sync_fn)dlsym(RTLD_NEXT, "fdatasync");
    copy_env("FAULTSHIM_DIR", watched, sizeof watched - 1);
    watched_len = strlen(watched);
    if (watched_len > 0 && watched[watched_len - 1] != '/') {
        watched[watched_len++] = '/';
        watched[watched_len] = '\0';
    }
    copy_env("FAULTSHIM_CTL", ctl_path, sizeof ctl_path);
    copy_env("FAULTSHIM_UNDO", undo_path, sizeof undo_path);
    /* A fork while another thread holds the lock must not leave the child locked forever. */
    pthread_atfork(lock_for_fork, unlock_after_fork, unlock_after_fork);
}

__attribute__((constructor)) static void start(void) { pthread_once(&once, init); }

/* The tracked file's path in `path`, or 0 if fd is not a regular file under $FAULTSHIM_DIR. */
static int tracked(int fd, char *path, size_t size) {
    char link[64];
    struct stat st;
    pthread_once(&once, init);
    if (watched_len == 0 || fd < 0) {
        return 0;
    }
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, size - 1);
    if (n <= 0 || (size_t)n >= size - 1) {
        return 0;
    }
    path[n] = '\0';
    if (strncmp(path, watched, watched_len) != 0 || strstr(path, " (deleted)") != NULL) {
        return 0;
    }
    return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

/* Re-read the control file; the errno to inject into this call, or 0. Lock held. */
static int injected_error(enum op op) {
    char content[sizeof ctl_seen];
    ssize_t n = 0;
    if (ctl_path[0] == '\0') {
        return 0;
    }
    memset(content, 0, sizeof content);
    int fd = open(ctl_path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, content, sizeof content - 1);
        close(fd);
    }
    content[n > 0 ? n : 0] = '\0';
    if (strcmp(content, ctl_seen) != 0) { /* a new command: parse it, count afresh */
        char verb[32] = "", error[32] = "";
        long from = 1;
        memcpy(ctl_seen, content, sizeof ctl_seen);
        int fields = sscanf(content, "%31s %ld %31s", verb, &from, error);
        fail_op = OP_NONE;
        sync_delay_us = 0;
        if (fields >= 1 && strcmp(verb, "fail-write") == 0) {
            fail_op = OP_WRITE;
        } else if (fields >= 1 && strcmp(verb, "fail-sync") == 0) {
            fail_op = OP_SYNC;
        } else if (fields >= 2 && strcmp(verb, "delay-sync") == 0 && from > 0) {
            sync_delay_us = from < 10000000 ? from : 10000000;
        }
        fail_from = fields >= 2 && from > 0 ? from : 1;
        fail_errno = fields >= 3 && strcmp(error, "ENOSPC") == 0 ? ENOSPC : EIO;
        calls_seen = 0;
    }
    if (fail_op != op) {
        return 0;
    }
    calls_seen++;
    return calls_seen >= fail_from ? fail_errno : 0;
}

static void write_all(int fd, const char *data, size_t size) {
    while (size > 0) {
        ssize_t n = real_write(fd, data, size);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            die("cannot append to the undo log");
        }
        data += n;
        size -= (size_t)n;
    }
}

static char *put(char *at, const void *data, size_t size) {
    if (size > 0) {
        memcpy(at, data, size);
    }
    return at + size;
}

/* Append one record to the undo log as a single buffer. Lock held. */
static void log_record(const char tag[4], const char *path, int64_t offset, int64_t old_size,
                       const char *data, uint64_t data_len) {
    uint32_t path_len = (uint32_t)strlen(path);
    size_t size = 4 + sizeof path_len + sizeof offset + sizeof old_size + sizeof data_len +
                  path_len + data_len;
    char *record = malloc(size);
    char *at = record;
    if (record == NULL) {
        die("out of memory for an undo record");
    }
    if (undo_fd < 0) {
        undo_fd = open(undo_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (undo_fd < 0) {
            die("cannot open the undo log");
        }
    }
    at = put(at, tag, 4);
    at = put(at, &path_len, sizeof path_len);
    at = put(at, &offset, sizeof offset);
    at = put(at, &old_size, sizeof old_size);
    at = put(at, &data_len, sizeof data_len);
    at = put(at, path, path_len);
    put(at, data, data_len);
    write_all(undo_fd, record, size);
    free(record);
}

static ssize_t read_at(int fd, char *buffer, size_t size, int64_t offset) {
    size_t done = 0;
    while (done < size) {
        ssize_t n = pread(fd, buffer + done, size - done, (off_t)(offset + (int64_t)done));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -1;
        }
        if (n == 0) {
            break;
        }
        done += (size_t)n;
    }
    return (ssize_t)done;
}

/* Log the bytes [offset, offset + count) hold now, and the file size. Lock held. */
static void record_undo(int fd, const char *path, int64_t offset, size_t count) {
    struct stat st;
    if (fstat(fd, &st) != 0) {
        die("fstat before a write");
    }
    int64_t old_size = (int64_t)st.st_size;
    size_t wanted = 0;
    if (offset < old_size) {
        wanted = (uint64_t)(old_size - offset) < count ? (size_t)(old_size - offset) : count;
    }
    char *old = malloc(wanted > 0 ? wanted : 1);
    if (old == NULL) {
        die("out of memory for old bytes");
    }
    ssize_t got = wanted > 0 ? read_at(fd, old, wanted, offset) : 0;
    if (got < 0 && errno == EBADF) { /* opened write-only: read through a second handle */
        int reader = open(path, O_RDONLY | O_CLOEXEC);
        got = reader >= 0 ? read_at(reader, old, wanted, offset) : -1;
        if (reader >= 0) {
            close(reader);
        }
    }
    if (got < 0) {
        die("reading the bytes a write replaces");
    }
    log_record("UNDO", path, offset, old_size, old, (uint64_t)got);
    free(old);
}

struct guard {
    int locked;
};

/* Before a tracked write of `count` bytes at `offset` (-1: at the fd's position): inject an
 * error (return -1, errno set) or log the undo record and return 0 holding the lock. */
static int guard_write(struct guard *guard, int fd, int64_t offset, size_t count, int inject) {
    char path[PATH_MAX];
    guard->locked = 0;
    if (!tracked(fd, path, sizeof path)) {
        return 0;
    }
    pthread_mutex_lock(&lock);
    guard->locked = 1;
    int error = inject ? injected_error(OP_WRITE) : 0;
    if (error != 0) {
        pthread_mutex_unlock(&lock);
        guard->locked = 0;
        errno = error;
        return -1;
    }
    if (undo_path[0] != '\0') {
        if (offset < 0) {
            int flags = fcntl(fd, F_GETFL);
            struct stat st;
            if (flags >= 0 && (flags & O_APPEND) && fstat(fd, &st) == 0) {
                offset = (int64_t)st.st_size;
            } else {
                offset = (int64_t)lseek(fd, 0, SEEK_CUR);
            }
        }
        if (offset >= 0) {
            record_undo(fd, path, offset, count);
        }
    }
    return 0;
}

static void guard_end(struct guard *guard) {
    int saved = errno; /* the wrapped call's errno is what the caller must see */
    if (guard->locked) {
        pthread_mutex_unlock(&lock);
    }
    errno = saved;
}

/* True (errno ENOSYS) when dlsym found no real function to call. */
#define MISSING(function) ((function) == NULL && (errno = ENOSYS, 1))

ssize_t write(int fd, const void *buffer, size_t count) {
    struct guard guard;
    pthread_once(&once, init);
    if (MISSING(real_write) || guard_write(&guard, fd, -1, count, 1) != 0) {
        return -1;
    }
    ssize_t result = real_write(fd, buffer, count);
    guard_end(&guard);
    return result;
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    struct guard guard;
    pthread_once(&once, init);
    if (MISSING(real_pwrite) ||
        guard_write(&guard, fd, (int64_t)offset, count, 1) != 0) {
        return -1;
    }
    ssize_t result = real_pwrite(fd, buffer, count, offset);
    guard_end(&guard);
    return result;
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off64_t offset) {
    struct guard guard;
    pthread_once(&once, init);
    if (MISSING(real_pwrite64) ||
        guard_write(&guard, fd, (int64_t)offset, count, 1) != 0) {
        return -1;
    }
    ssize_t result = real_pwrite64(fd, buffer, count, offset);
    guard_end(&guard);
    return result;
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
    struct guard guard;
    size_t count = 0;
    pthread_once(&once, init);
    for (int i = 0; i < iovcnt && iov != NULL; i++) {
        count += iov[i].iov_len;
    }
    if (MISSING(real_writev) || guard_write(&guard, fd, -1, count, 1) != 0) {
        return -1;
    }
    ssize_t result = real_writev(fd, iov, iovcnt);
    guard_end(&guard);
    return result;
}

/* ftruncate: the undo record keeps the tail a shrink cuts off (nothing for a growth). */
static int truncate_undo(struct guard *guard, int fd, int64_t length) {
    struct stat st;
    if (fstat(fd, &st) != 0 || length < 0) {
        guard->locked = 0;
        return 0; /* let the real call report the error */
    }
    int64_t size = (int64_t)st.st_size;
    return guard_write(guard, fd, length, size > length ? (size_t)(size - length) : 0, 0);
}

int ftruncate(int fd, off_t length) {
    struct guard guard;
    pthread_once(&once, init);
    if (MISSING(real_ftruncate) ||
        truncate_undo(&guard, fd, (int64_t)length) != 0) {
        return -1;
    }
    int result = real_ftruncate(fd, length);
    guard_end(&guard);
    return result;
}

int ftruncate64(int fd, off64_t length) {
    struct guard guard;
    pthread_once(&once, init);
    if (MISSING(real_ftruncate64) ||
        truncate_undo(&guard, fd, (int64_t)length) != 0) {
        return -1;
    }
    int result = real_ftruncate64(fd, length);
    guard_end(&guard);
    return result;
}

static int guarded_sync(int fd, sync_fn real) {
    char path[PATH_MAX];
    if (MISSING(real)) {
        return -1;
    }
    if (!tracked(fd, path, sizeof path)) {
        return real(fd);
    }
    pthread_mutex_lock(&lock);
    int error = injected_error(OP_SYNC);
    if (error != 0) {
        pthread_mutex_unlock(&lock);
        errno = error;
        return -1;
    }
    if (sync_delay_us > 0) {
        struct timespec pause = {sync_delay_us / 1000000, (sync_delay_us % 1000000) * 1000};
        while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
        }
    }
    int result = real(fd);
    int saved = errno;
    if (result == 0 && undo_path[0] != '\0') {
        log_record("SYNC", path, 0, 0, NULL, 0); /* only now are the writes before it durable */
    }
    pthread_mutex_unlock(&lock);
    errno = saved;
    return result;
}

int fsync(int fd) {
    pthread_once(&once, init);
    return guarded_sync(fd, real_fsync);
}

int fdatasync(int fd) {
    pthread_once(&once, init);
    return guarded_sync(fd, real_fdatasync);
}
