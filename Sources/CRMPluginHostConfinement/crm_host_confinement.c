#define _GNU_SOURCE
#include "crm_host_confinement.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

int crm_host_die_with_parent(pid_t expected_parent)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
        return -1;
    }
    if (getppid() != expected_parent) {
        errno = ESRCH;
        return -1;
    }
    return 0;
}

int crm_host_no_new_privileges(void)
{
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

void crm_host_close_descriptors_from(int lowest)
{
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned int)lowest, ~0u, 0u) == 0) {
        return;
    }
#endif
    DIR *folder = opendir("/proc/self/fd");
    if (folder == NULL) {
        return;
    }
    int own = dirfd(folder);
    int found[1024];
    size_t count = 0;
    struct dirent *entry;
    while ((entry = readdir(folder)) != NULL && count < sizeof found / sizeof found[0]) {
        int fd = atoi(entry->d_name);
        if (fd >= lowest && fd != own) {
            found[count++] = fd;
        }
    }
    closedir(folder);
    for (size_t i = 0; i < count; i++) {
        close(found[i]);
    }
}

#if defined(__x86_64__)
#define CRM_HOST_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define CRM_HOST_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

#define DENY(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

/* The system calls a plugin never needs and crmd (or an attacker in a plugin)
 * could abuse: starting other programs (crmd itself must spawn this host, so
 * its own filter cannot forbid exec), debugging or reading other processes of
 * the same user (crmd's memory holds the registry), namespaces, kernel
 * modules and keys, BPF and perf, mounting, and the clock. Everything else is
 * allowed: a connector needs the network and files. */
int crm_host_restrict_system_calls(void)
{
#ifndef CRM_HOST_AUDIT_ARCH
    errno = ENOSYS;
    return -1;
#else
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        /* Another ABI (i386 on x86_64) would number the calls differently: refuse all of it. */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, CRM_HOST_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#if defined(__x86_64__)
        /* x32 system calls carry this bit. */
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
#endif
        DENY(SYS_execve),
        DENY(SYS_execveat),
        DENY(SYS_ptrace),
        DENY(SYS_process_vm_readv),
        DENY(SYS_process_vm_writev),
        DENY(SYS_kcmp),
        DENY(SYS_unshare),
        DENY(SYS_setns),
        DENY(SYS_mount),
        DENY(SYS_umount2),
        DENY(SYS_pivot_root),
        DENY(SYS_chroot),
        DENY(SYS_bpf),
        DENY(SYS_perf_event_open),
        DENY(SYS_userfaultfd),
        DENY(SYS_keyctl),
        DENY(SYS_add_key),
        DENY(SYS_request_key),
        DENY(SYS_init_module),
        DENY(SYS_finit_module),
        DENY(SYS_delete_module),
        DENY(SYS_kexec_load),
        DENY(SYS_reboot),
        DENY(SYS_swapon),
        DENY(SYS_swapoff),
        DENY(SYS_acct),
        DENY(SYS_settimeofday),
        DENY(SYS_clock_settime),
        DENY(SYS_clock_adjtime),
        DENY(SYS_adjtimex),
        DENY(SYS_sethostname),
        DENY(SYS_setdomainname),
        DENY(SYS_personality),
        DENY(SYS_open_by_handle_at),
        DENY(SYS_name_to_handle_at),
        DENY(SYS_quotactl),
        DENY(SYS_fanotify_init),
#if defined(SYS_iopl)
        DENY(SYS_iopl),
        DENY(SYS_ioperm),
#endif
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {
        .len = (unsigned short)(sizeof filter / sizeof filter[0]),
        .filter = filter,
    };
    /* prctl rather than seccomp(2): systemd's @system-service set allows prctl but not seccomp. */
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program, 0, 0);
#endif
}
