/*
 * crm_host_confinement.h — what crmd-plugin-host does to itself before it loads
 * a plugin library: calls Swift cannot make (prctl(2) is variadic), gathered
 * in one place. Used by crmd-plugin-host only; not part of the plugin ABI.
 */
#ifndef CRM_HOST_CONFINEMENT_H
#define CRM_HOST_CONFINEMENT_H

#include <stdint.h>
#include <sys/types.h>

/* Asks for SIGKILL when the parent (crmd) dies, then checks that the parent is
 * still `expected_parent`: if crmd died before the request took effect, the
 * signal would never come. Returns 0, or -1 with errno set (ESRCH for a parent
 * already gone). */
int crm_host_die_with_parent(pid_t expected_parent);

/* PR_SET_NO_NEW_PRIVS: no exec of this process or its children gains
 * privileges (setuid bits, file capabilities). Returns 0 or -1 with errno. */
int crm_host_no_new_privileges(void);

/* Closes every descriptor >= `lowest` (close_range(2), or a loop over
 * /proc/self/fd where it is missing). */
void crm_host_close_descriptors_from(int lowest);

/* Installs a seccomp filter that makes the system calls no plugin needs fail
 * with EPERM (see the list in crm_host_confinement.c). Needs no-new-privileges
 * first. Returns 0, or -1 with errno when the kernel refuses (no seccomp, or a
 * filter above that forbids seccomp itself). */
int crm_host_restrict_system_calls(void);

#endif
