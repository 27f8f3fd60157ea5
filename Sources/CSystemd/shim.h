#ifndef CRMD_CSYSTEMD_SHIM_H
#define CRMD_CSYSTEMD_SHIM_H

// libsystemd's daemon and journal APIs (Debian: libsystemd-dev).
// Without location suppression sd_journal_sendv is a macro Swift cannot call.
#define SD_JOURNAL_SUPPRESS_LOCATION 1
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

// sd_journal_send is variadic, which Swift cannot call: send prepared
// "FIELD=value" strings through sd_journal_sendv instead.
#include <sys/uio.h>

#endif
