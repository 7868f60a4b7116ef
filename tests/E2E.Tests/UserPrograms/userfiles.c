/* userfiles.c -- the file system calls of a userworld, checked from C (glibc, static): create, write, read, seek,
   pread/pwrite, O_APPEND, O_EXCL, O_TRUNC, O_DIRECTORY, stat/fstat/lstat/statx, getdents64, rename (and
   RENAME_NOREPLACE), unlink, mkdir/rmdir, symlink/readlink, getcwd/chdir/fchdir, dup/dup2/dup3, fcntl, ftruncate,
   umask, /dev/null, /dev/zero, /dev/urandom, errno values for bad input and EFAULT for bad pointers. Each check
   prints FAIL with what it saw; the last line is "userfiles: all passed" only when none failed. Runs under /tmp. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...) do { if (!(cond)) { failures++; printf("FAIL %s:%d: ", __func__, __LINE__); printf(__VA_ARGS__); printf(" (errno %d)\n", errno); } } while (0)
#define ERRNO_IS(call, e) do { errno = 0; long r_ = (long)(call); CHECK(r_ == -1 && errno == (e), #call " = %ld, want errno %d", r_, (e)); } while (0)
#define KERNEL_POINTER ((void *)0xffffffff80100000UL)

static void create_write_read_seek(void)
{
    int fd = open("/tmp/uf/a.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 3, "open O_CREAT = %d", fd);
    CHECK(write(fd, "hello, world\n", 13) == 13, "write");
    CHECK(lseek(fd, 0, SEEK_CUR) == 13, "lseek CUR");
    CHECK(lseek(fd, 7, SEEK_SET) == 7, "lseek SET");
    char buf[64] = {0};
    CHECK(read(fd, buf, sizeof buf) == 6 && memcmp(buf, "world\n", 6) == 0, "read after seek: '%s'", buf);
    CHECK(read(fd, buf, sizeof buf) == 0, "read at the end is 0");
    CHECK(lseek(fd, -6, SEEK_END) == 7, "lseek END");
    CHECK(pwrite(fd, "W", 1, 7) == 1, "pwrite");
    CHECK(pread(fd, buf, 5, 7) == 5 && memcmp(buf, "World", 5) == 0, "pread: '%.5s'", buf);
    CHECK(lseek(fd, 0, SEEK_CUR) == 7, "pread/pwrite leave the offset");
    /* A hole: writing past the end zero-fills. */
    CHECK(lseek(fd, 20, SEEK_SET) == 20 && write(fd, "!", 1) == 1, "write past the end");
    CHECK(pread(fd, buf, 8, 13) == 8 && buf[0] == 0 && buf[6] == 0 && buf[7] == '!', "the hole reads zeros");
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 21 && S_ISREG(st.st_mode), "fstat size %ld mode %o", (long)st.st_size, st.st_mode);
    CHECK((st.st_mode & 0777) == 0644, "mode after umask 022: %o", st.st_mode & 0777);
    CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5, "ftruncate shrink: %ld", (long)st.st_size);
    CHECK(ftruncate(fd, 9000) == 0 && fstat(fd, &st) == 0 && st.st_size == 9000, "ftruncate grow: %ld", (long)st.st_size);
    CHECK(pread(fd, buf, 4, 8000) == 4 && buf[0] == 0 && buf[3] == 0, "grown bytes are zero");
    CHECK(ftruncate(fd, 5) == 0, "ftruncate back");
    CHECK(close(fd) == 0, "close");
    ERRNO_IS(close(fd), EBADF);
    ERRNO_IS(read(fd, buf, 1), EBADF);
    printf("files: create, write, read, seek, pread, pwrite, truncate\n");
}

static void flags(void)
{
    int fd = open("/tmp/uf/a.txt", O_WRONLY | O_APPEND);
    CHECK(fd >= 0 && write(fd, "+1", 2) == 2, "append write");
    CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "+2", 2) == 2, "append ignores the offset");
    CHECK((fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND)) == (O_WRONLY | O_APPEND), "F_GETFL %x", fcntl(fd, F_GETFL));
    char buf[16];
    ERRNO_IS(read(fd, buf, 1), EBADF);
    close(fd);
    fd = open("/tmp/uf/a.txt", O_RDONLY);
    int n = read(fd, buf, sizeof buf);
    CHECK(n == 9 && memcmp(buf, "hello+1+2", 9) == 0, "after appends: %d '%.*s'", n, n > 0 ? n : 0, buf);
    ERRNO_IS(write(fd, "x", 1), EBADF);
    close(fd);
    ERRNO_IS(open("/tmp/uf/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST);
    ERRNO_IS(open("/tmp/uf/missing", O_RDONLY), ENOENT);
    ERRNO_IS(open("/tmp/uf/missing/x", O_CREAT | O_WRONLY, 0644), ENOENT);
    ERRNO_IS(open("/tmp/uf/a.txt/x", O_RDONLY), ENOTDIR);
    ERRNO_IS(open("/tmp/uf/a.txt", O_RDONLY | O_DIRECTORY), ENOTDIR);
    ERRNO_IS(open("/tmp/uf", O_WRONLY), EISDIR);
    fd = open("/tmp/uf/a.txt", O_WRONLY | O_TRUNC);
    struct stat st;
    CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC: %ld", (long)st.st_size);
    close(fd);
    printf("flags: O_APPEND, O_EXCL, O_TRUNC, O_DIRECTORY, access modes\n");
}

static void descriptors(void)
{
    int fd = open("/tmp/uf/d.txt", O_CREAT | O_RDWR | O_TRUNC, 0600);
    CHECK(write(fd, "abcdef", 6) == 6, "write");
    int copy = dup(fd);
    CHECK(copy == fd + 1, "dup takes the lowest free fd: %d", copy);
    CHECK(lseek(copy, 2, SEEK_SET) == 2 && lseek(fd, 0, SEEK_CUR) == 2, "dup shares the offset");
    CHECK(dup2(fd, 20) == 20, "dup2");
    CHECK(fcntl(20, F_GETFD) == 0, "dup2 clears FD_CLOEXEC");
    CHECK(dup3(fd, 21, O_CLOEXEC) == 21 && fcntl(21, F_GETFD) == FD_CLOEXEC, "dup3 O_CLOEXEC");
    ERRNO_IS(dup3(fd, fd, 0), EINVAL);
    CHECK(dup2(fd, fd) == fd, "dup2 onto itself");
    CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_SETFD");
    CHECK(fcntl(fd, F_DUPFD, 30) == 30, "F_DUPFD");
    CHECK(fcntl(fd, F_DUPFD_CLOEXEC, 30) == 31 && fcntl(31, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC");
    char c;
    CHECK(read(31, &c, 1) == 1 && c == 'c', "read through a dup: %c", c);
    fflush(stdout);
    int saved = dup(1);
    close(1);
    CHECK(open("/tmp/uf/out.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644) == 1, "close(1) then open gives 1");
    printf("into the file\n");
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    int in = open("/tmp/uf/out.txt", O_RDONLY);
    char buf[32] = {0};
    CHECK(read(in, buf, sizeof buf) == 14 && strcmp(buf, "into the file\n") == 0, "redirected stdout: '%s'", buf);
    for (int i = 3; i < 40; i++)
        close(i);
    ERRNO_IS(dup(99), EBADF);
    ERRNO_IS(dup2(0, -1), EBADF);
    ERRNO_IS(fcntl(99, F_GETFD), EBADF);
    printf("descriptors: dup, dup2, dup3, fcntl, lowest free fd\n");
}

static int listed(const char *dir, const char *name, unsigned char *type)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return -1;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, name) == 0) {
            found++;
            if (type)
                *type = e->d_type;
        }
    closedir(d);
    return found;
}

static void directories(void)
{
    CHECK(mkdir("/tmp/uf/sub", 0755) == 0, "mkdir");
    ERRNO_IS(mkdir("/tmp/uf/sub", 0755), EEXIST);
    ERRNO_IS(mkdir("/tmp/uf/none/sub", 0755), ENOENT);
    int fd = open("/tmp/uf/sub/f", O_CREAT | O_WRONLY, 0644);
    close(fd);
    unsigned char type = 0;
    CHECK(listed("/tmp/uf", "sub", &type) == 1 && type == DT_DIR, "getdents lists sub as a directory (type %d)", type);
    CHECK(listed("/tmp/uf", "a.txt", &type) == 1 && type == DT_REG, "getdents lists a.txt as a file (type %d)", type);
    CHECK(listed("/tmp/uf", ".", NULL) == 1 && listed("/tmp/uf", "..", NULL) == 1, ". and ..");
    int many = 0;
    for (int i = 0; i < 60; i++) {
        char name[64];
        snprintf(name, sizeof name, "/tmp/uf/sub/a-rather-long-file-name-number-%02d", i);
        int f = open(name, O_CREAT | O_WRONLY, 0644);
        many += f >= 0;
        close(f);
    }
    DIR *d = opendir("/tmp/uf/sub");
    int seen = 0;
    while (readdir(d) != NULL)
        seen++;
    closedir(d);
    CHECK(many == 60 && seen == 63, "a directory of 61 names and . and .. across getdents calls: %d", seen);
    ERRNO_IS(rmdir("/tmp/uf/sub"), ENOTEMPTY);
    ERRNO_IS(unlink("/tmp/uf/sub"), EISDIR);
    ERRNO_IS(rmdir("/tmp/uf/a.txt"), ENOTDIR);
    char records[256];
    ERRNO_IS(syscall(SYS_getdents64, 0, records, sizeof records), ENOTDIR);
    int here = open("/tmp/uf", O_RDONLY | O_DIRECTORY);
    ERRNO_IS(syscall(SYS_getdents64, here, KERNEL_POINTER, 100), EFAULT);
    ERRNO_IS(syscall(SYS_getdents64, here, records, 10), EINVAL);
    close(here);

    char cwd[256];
    CHECK(chdir("/tmp/uf/sub") == 0 && getcwd(cwd, sizeof cwd) != NULL && strcmp(cwd, "/tmp/uf/sub") == 0, "chdir: %s", cwd);
    CHECK(access("f", F_OK) == 0, "a relative path after chdir");
    CHECK(chdir("..") == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/uf") == 0, "chdir ..: %s", cwd);
    int dfd = open("sub", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0 && faccessat(dfd, "f", F_OK, 0) == 0, "faccessat relative to a directory fd");
    int at = openat(dfd, "g", O_CREAT | O_WRONLY, 0644);
    CHECK(at >= 0 && access("/tmp/uf/sub/g", F_OK) == 0, "openat relative to a directory fd");
    close(at);
    CHECK(fchdir(dfd) == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp/uf/sub") == 0, "fchdir: %s", cwd);
    chdir("/tmp/uf");
    close(dfd);
    ERRNO_IS(syscall(SYS_getcwd, cwd, 3), ERANGE);
    ERRNO_IS(chdir("/tmp/uf/a.txt"), ENOTDIR);
    ERRNO_IS(chdir("/tmp/uf/nothere"), ENOENT);
    for (int i = 0; i < 60; i++) {
        char name[64];
        snprintf(name, sizeof name, "sub/a-rather-long-file-name-number-%02d", i);
        unlink(name);
    }
    CHECK(unlink("sub/f") == 0 && unlink("sub/g") == 0 && rmdir("sub") == 0, "emptied and removed");
    CHECK(listed("/tmp/uf", "sub", NULL) == 0, "sub is gone");
    printf("directories: mkdir, getdents64, rmdir, chdir, fchdir, getcwd, openat\n");
}

static void names(void)
{
    int fd = open("/tmp/uf/r1", O_CREAT | O_WRONLY, 0644);
    write(fd, "one", 3);
    close(fd);
    fd = open("/tmp/uf/r2", O_CREAT | O_WRONLY, 0644);
    write(fd, "two!", 4);
    close(fd);
    CHECK(syscall(SYS_renameat2, AT_FDCWD, "/tmp/uf/r1", AT_FDCWD, "/tmp/uf/r2", 1 /* RENAME_NOREPLACE */) == -1 && errno == EEXIST, "RENAME_NOREPLACE");
    CHECK(rename("/tmp/uf/r1", "/tmp/uf/r2") == 0, "rename over a file");
    struct stat st;
    ERRNO_IS(stat("/tmp/uf/r1", &st), ENOENT);
    CHECK(stat("/tmp/uf/r2", &st) == 0 && st.st_size == 3, "the renamed file replaced the old: %ld", (long)st.st_size);
    mkdir("/tmp/uf/dir", 0755);
    ERRNO_IS(rename("/tmp/uf/r2", "/tmp/uf/dir"), EISDIR);
    ERRNO_IS(rename("/tmp/uf/nothere", "/tmp/uf/x"), ENOENT);
    CHECK(rename("/tmp/uf/dir", "/tmp/uf/dir2") == 0 && stat("/tmp/uf/dir2", &st) == 0 && S_ISDIR(st.st_mode), "rename a directory");
    rmdir("/tmp/uf/dir2");

    CHECK(symlink("r2", "/tmp/uf/link") == 0, "symlink");
    ERRNO_IS(symlink("r2", "/tmp/uf/link"), EEXIST);
    char target[64] = {0};
    CHECK(readlink("/tmp/uf/link", target, sizeof target) == 2 && strcmp(target, "r2") == 0, "readlink: '%s'", target);
    ERRNO_IS(readlink("/tmp/uf/r2", target, sizeof target), EINVAL);
    CHECK(lstat("/tmp/uf/link", &st) == 0 && S_ISLNK(st.st_mode), "lstat sees the link: %o", st.st_mode);
    CHECK(stat("/tmp/uf/link", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 3, "stat follows it");
    fd = open("/tmp/uf/link", O_RDONLY);
    char buf[8] = {0};
    CHECK(fd >= 0 && read(fd, buf, 8) == 3 && strcmp(buf, "one") == 0, "open follows it: '%s'", buf);
    close(fd);
    ERRNO_IS(open("/tmp/uf/link", O_RDONLY | O_NOFOLLOW), ELOOP);
    struct statx sx;
    CHECK(statx(AT_FDCWD, "/tmp/uf/r2", 0, STATX_BASIC_STATS, &sx) == 0 && sx.stx_size == 3 && S_ISREG(sx.stx_mode), "statx");
    struct stat a, b;
    CHECK(stat("/tmp/uf/r2", &a) == 0 && stat("/tmp/uf/link", &b) == 0 && a.st_ino == b.st_ino && a.st_ino != 0, "one file, one inode number");
    CHECK(unlink("/tmp/uf/link") == 0 && stat("/tmp/uf/r2", &st) == 0, "unlinking the link leaves the file");
    CHECK(unlink("/tmp/uf/r2") == 0, "unlink");
    ERRNO_IS(unlink("/tmp/uf/r2"), ENOENT);
    printf("names: rename, renameat2, symlink, readlink, lstat, statx, unlink\n");
}

static void devices_and_tardisk(void)
{
    int fd = open("/dev/null", O_RDWR);
    char buf[16];
    CHECK(fd >= 0 && write(fd, "gone", 4) == 4 && read(fd, buf, sizeof buf) == 0, "/dev/null");
    close(fd);
    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 7, sizeof buf);
    CHECK(fd >= 0 && read(fd, buf, sizeof buf) == 16 && buf[0] == 0 && buf[15] == 0, "/dev/zero");
    close(fd);
    unsigned char r1[16] = {0}, r2[16] = {0};
    fd = open("/dev/urandom", O_RDONLY);
    CHECK(fd >= 0 && read(fd, r1, 16) == 16 && read(fd, r2, 16) == 16 && memcmp(r1, r2, 16) != 0, "/dev/urandom");
    close(fd);
    struct stat st;
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == ((1 << 8) | 3), "stat /dev/null: %o %lx", st.st_mode, (long)st.st_rdev);
    CHECK(isatty(0) && isatty(1) && !isatty(3 + 100), "stdin and stdout are the terminal");
    /* This program itself is a file of a tardisk: readable, not writable in place. */
    fd = open("/bin/userfiles", O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, 4) == 4 && memcmp(buf, "\177ELF", 4) == 0, "reading a tardisk file");
    CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0111) != 0 && st.st_size > 100000, "a tardisk file's stat: %o %ld", st.st_mode, (long)st.st_size);
    close(fd);
    unsigned char type;
    CHECK(listed("/bin", "userfiles", &type) == 1 && type == DT_REG, "/bin lists the tardisk's file");
    printf("devices: /dev/null, /dev/zero, /dev/urandom, the terminal; tardisk files\n");
}

static void bad_pointers(void)
{
    int fd = open("/tmp/uf/p", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "data", 4);
    lseek(fd, 0, SEEK_SET);
    ERRNO_IS(syscall(SYS_read, fd, NULL, 4), EFAULT);
    ERRNO_IS(syscall(SYS_read, fd, KERNEL_POINTER, 4), EFAULT);
    ERRNO_IS(syscall(SYS_write, fd, KERNEL_POINTER, 4), EFAULT);
    ERRNO_IS(syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY), EFAULT);
    ERRNO_IS(syscall(SYS_openat, AT_FDCWD, KERNEL_POINTER, O_RDONLY), EFAULT);
    ERRNO_IS(syscall(SYS_fstat, fd, KERNEL_POINTER), EFAULT);
    ERRNO_IS(syscall(SYS_newfstatat, AT_FDCWD, "/tmp/uf/p", NULL, 0), EFAULT);
    ERRNO_IS(syscall(SYS_getcwd, KERNEL_POINTER, 100), EFAULT);
    ERRNO_IS(syscall(SYS_mkdirat, AT_FDCWD, KERNEL_POINTER, 0755), EFAULT);
    ERRNO_IS(syscall(SYS_readv, fd, KERNEL_POINTER, 1), EFAULT);
    ERRNO_IS(syscall(SYS_lseek, fd, 0, 7), EINVAL);
    ERRNO_IS(syscall(SYS_lseek, fd, (long)-10, SEEK_SET), EINVAL);
    ERRNO_IS(syscall(SYS_pread64, fd, (long)&fd, 1, (long)-1), EINVAL);
    ERRNO_IS(syscall(SYS_unlinkat, AT_FDCWD, "/tmp/uf/p", 0x4), EINVAL);
    ERRNO_IS(syscall(SYS_openat, 55, "relative", O_RDONLY), EBADF);
    ERRNO_IS(syscall(SYS_openat, fd, "relative", O_RDONLY), ENOTDIR);
    ERRNO_IS(syscall(SYS_ioctl, fd, 0x5401, KERNEL_POINTER), ENOTTY);
    ERRNO_IS(lseek(0, 0, SEEK_SET), ESPIPE);
    /* The file is intact after all that. */
    char buf[8] = {0};
    CHECK(pread(fd, buf, 8, 0) == 4 && strcmp(buf, "data") == 0, "intact: '%s'", buf);
    /* A vector naming kernel memory anywhere is refused before anything is read, as on Linux. */
    char a[2];
    struct iovec iov[2] = { { a, 2 }, { KERNEL_POINTER, 2 } };
    lseek(fd, 0, SEEK_SET);
    ERRNO_IS(readv(fd, iov, 2), EFAULT);
    CHECK(lseek(fd, 0, SEEK_CUR) == 0, "nothing was read");
    close(fd);
    unlink("/tmp/uf/p");
    printf("errors: EFAULT for bad pointers, EINVAL, EBADF, ENOTDIR, ENOTTY, ESPIPE\n");
}

/* POSIX: unlink removes the name at once; an open descriptor keeps the data until its last close. */
static void unlink_while_open(void)
{
    int fd = open("/tmp/uf/open.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    CHECK(fd >= 3 && write(fd, "still here", 10) == 10, "create open.txt");
    CHECK(unlink("/tmp/uf/open.txt") == 0, "unlink an open file");
    struct stat st;
    ERRNO_IS(stat("/tmp/uf/open.txt", &st), ENOENT);
    char buf[16] = {0};
    CHECK(pread(fd, buf, sizeof buf, 0) == 10 && memcmp(buf, "still here", 10) == 0, "read after unlink: '%s'", buf);
    CHECK(pwrite(fd, "!", 1, 10) == 1 && fstat(fd, &st) == 0 && st.st_size == 11, "write after unlink: size %ld", (long)st.st_size);
    int again = open("/tmp/uf/open.txt", O_CREAT | O_RDWR | O_EXCL, 0644);
    CHECK(again >= 3, "a new file under the old name");
    CHECK(fstat(again, &st) == 0 && st.st_size == 0, "the new file is empty: %ld", (long)st.st_size);
    CHECK(close(fd) == 0 && close(again) == 0, "close both");
    CHECK(unlink("/tmp/uf/open.txt") == 0, "unlink the new one");
    printf("unlink: an open file keeps its data until its last close\n");
}

int main(void)
{
    umask(022);
    CHECK(umask(022) == 022, "umask");
    CHECK(mkdir("/tmp/uf", 0777) == 0, "mkdir /tmp/uf");
    create_write_read_seek();
    flags();
    descriptors();
    directories();
    names();
    devices_and_tardisk();
    bad_pointers();
    unlink_while_open();
    unlink("/tmp/uf/a.txt");
    unlink("/tmp/uf/d.txt");
    unlink("/tmp/uf/out.txt");
    CHECK(rmdir("/tmp/uf") == 0, "rmdir /tmp/uf at the end");
    if (failures == 0)
        printf("userfiles: all passed\n");
    return failures;
}
