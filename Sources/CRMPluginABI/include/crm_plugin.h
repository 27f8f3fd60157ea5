/*
 * crm_plugin.h — the binary contract between crmd and its plugins.
 *
 * A crmd plugin is a shared library (`.so`) that exports ONE symbol,
 * `crm_plugin_entry` (CRM_PLUGIN_ENTRY_SYMBOL), a function returning a
 * pointer to a constant `crm_plugin_descriptor`. The descriptor says what the
 * plugin is (name, version, kind, ABI version) and holds four function
 * pointers: `init`, `call`, `free_buffer`, `shutdown`.
 *
 * Everything that crosses the boundary besides this header's structs is
 * BYTES: the configuration given to `init` and every request and response of
 * `call` are protobuf messages of the package `crm.plugin.v1` (the .proto
 * files in proto/crm/plugin/v1), in protobuf's binary encoding. A plugin can
 * therefore be written in C (with protobuf-c), Swift (with CRMPluginKit),
 * Rust, or anything that can export a C function.
 *
 * The plugin author's guide is docs/plugins.md.
 *
 * ---------------------------------------------------------------------------
 * Platform
 *
 * 64-bit Linux (x86_64, aarch64), the System V / AAPCS64 C calling
 * convention, little-endian. All strings are UTF-8. Sizes are in bytes.
 *
 * ---------------------------------------------------------------------------
 * Versioning (the ABI rules)
 *
 * - CRM_PLUGIN_ABI_MAJOR changes when anything incompatible changes. A host
 *   loads only plugins whose `abi_major` equals its own.
 * - CRM_PLUGIN_ABI_MINOR grows when fields are APPENDED to the end of a
 *   struct in this header (or a flag bit or a status code is added).
 *   Nothing is ever removed, reordered or re-typed within a major version.
 *   A host loads a plugin whose `abi_minor` is not newer than its own and
 *   reads only the fields that minor defines; a plugin built against an
 *   older minor keeps working with newer hosts.
 * - Every struct that can grow starts with (or contains) `struct_size`, the
 *   `sizeof` the writer was compiled with. The reader checks that it is at
 *   least the size the declared minor implies
 *   (crm_plugin_descriptor_size_for_minor, crm_host_api_size_for_minor).
 * - The first four fields of the descriptor — magic, abi_major, abi_minor,
 *   struct_size — keep their offsets in EVERY major version, so that any
 *   host can read them and say why it refuses a plugin.
 * - The protobuf messages evolve by protobuf's rules (fields added, never
 *   renumbered); they do not change the ABI version.
 *
 * ---------------------------------------------------------------------------
 * Loading (what the host does, in this order)
 *
 * 1. dlopen(path, RTLD_NOW | RTLD_LOCAL). A plugin must not rely on symbols
 *    of other plugins, and must not run code from ELF constructors
 *    (__attribute__((constructor)), C++ static initialisers). Language
 *    runtimes' own registration (Swift's metadata registration) is tolerated.
 * 2. dlsym(handle, CRM_PLUGIN_ENTRY_SYMBOL); a missing symbol refuses the
 *    library.
 * 3. Call the entry function. It must only return the address of a
 *    descriptor: no I/O, no threads, no allocation the plugin relies on
 *    later. It may be called more than once, from any thread, and must
 *    return the same pointer each time.
 * 4. Validate the descriptor, BEFORE calling any of its functions:
 *      magic == CRM_PLUGIN_MAGIC;
 *      abi_major == the host's CRM_PLUGIN_ABI_MAJOR;
 *      abi_minor <= the host's CRM_PLUGIN_ABI_MINOR;
 *      struct_size >= crm_plugin_descriptor_size_for_minor(abi_minor);
 *      kind is CRM_PLUGIN_KIND_ANALYSIS or CRM_PLUGIN_KIND_CONNECTOR;
 *      flags has no bit outside crm_plugin_known_flags(abi_minor);
 *      name matches [a-z0-9][a-z0-9-]{0,62} (1–63 characters);
 *      version is 1–64 printable ASCII characters;
 *      description and license are non-NULL (license: an SPDX expression,
 *      e.g. "Apache-2.0");
 *      init, call, free_buffer and shutdown are non-NULL.
 *    Any failure refuses the plugin with the reason; the daemon goes on.
 * 5. init(host, config, config_len, &state, &error) once. Non-OK refuses the
 *    plugin with the error's message; shutdown is NOT called then.
 * 6. call(state, "describe", …) to learn the methods and algorithms.
 * 7. Any number of calls, possibly concurrent (see Threading).
 * 8. shutdown(state) once, after every call has returned and every buffer
 *    the plugin handed out has been freed. After shutdown returns, the host
 *    may call init again (a reload) on the same, still-loaded library.
 *
 * The host never dlclose()s a library while a call into it may be running;
 * crmd does not dlclose plugins at all (Swift libraries cannot be unloaded
 * safely), so a plugin's static data lives as long as the process.
 *
 * ---------------------------------------------------------------------------
 * Threading (the contract a plugin must meet)
 *
 * - `call` may be invoked CONCURRENTLY from several threads with the same
 *   `state`, each with its own `ctx`. A plugin that cannot allow that sets
 *   CRM_PLUGIN_FLAG_SERIAL in its descriptor: the host then runs at most one
 *   `call` of that plugin at a time (others wait). Concurrent is the default
 *   because training and prediction of different models are independent
 *   and the host runs several jobs at once.
 * - `init` and `shutdown` never overlap with each other or with any `call`.
 * - `free_buffer` may be called from any thread, concurrently with calls and
 *   with other `free_buffer` calls, until `shutdown` is called; buffers
 *   returned by a failed `init` are freed before anything else is called.
 * - `call` may block for as long as the work takes (minutes of training);
 *   the host runs it on a thread of its own. The plugin may start its own
 *   threads inside a call, but they must have finished using `ctx` and the
 *   request bytes when `call` returns.
 * - The host's callbacks (crm_host_api) are thread-safe and may be called
 *   from any thread: `log` between the start of `init` and the return of
 *   `shutdown`; `report_progress` and `is_cancelled` only while the call
 *   whose `ctx` they get is running. The host never calls into the plugin
 *   from inside a callback.
 * - A plugin runs inside the daemon: it must not exit(), abort() on bad
 *   input, install signal handlers, change the working directory, the umask,
 *   the locale or the environment, or write to stdout/stderr (use `log`).
 *
 * ---------------------------------------------------------------------------
 * Memory (who owns what)
 *
 * - Everything the host passes in (config, method, request, the host table,
 *   ctx) is owned by the host. The host table lives until shutdown returns
 *   (keep the `host` pointer); config lives until init returns, and method,
 *   request and ctx until call returns: copy what you keep.
 * - Everything the plugin passes out in a crm_plugin_buffer (a response, an
 *   error message) is owned by the plugin until the host hands it back to
 *   the plugin's `free_buffer(data, len)`, exactly once, for every non-NULL
 *   `data` it received — whatever the status code was. The plugin chooses
 *   the allocator (malloc, Rust's, an arena); `len` is passed back so
 *   allocators that need the size can use it. An empty buffer is
 *   {NULL, 0}: nothing to free.
 * - The host zero-initialises `*response`, `*error` and `*state` before each
 *   call, so a plugin only writes what it produces.
 * - Descriptor strings (name, version, description, license) are static:
 *   they live as long as the library is loaded.
 * - Strings given to host callbacks are NUL-terminated; the host copies
 *   them before returning.
 */
#ifndef CRM_PLUGIN_H
#define CRM_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version. See "Versioning" above. */
#define CRM_PLUGIN_ABI_MAJOR 1
#define CRM_PLUGIN_ABI_MINOR 0

/* `crm_plugin_descriptor.magic`: the bytes "CRMP" in memory order. A library
 * whose entry symbol returns anything else is not a crmd plugin. */
#define CRM_PLUGIN_MAGIC 0x504D5243u

/* The one symbol a plugin exports, and its name for dlsym(). In C:
 *
 *     CRM_PLUGIN_EXPORT const crm_plugin_descriptor *CRM_PLUGIN_ENTRY(void)
 *     {
 *         return &my_descriptor;
 *     }
 */
#define CRM_PLUGIN_ENTRY crm_plugin_entry
#define CRM_PLUGIN_ENTRY_SYMBOL "crm_plugin_entry"

/* Marks the entry function as exported even when the library is built with
 * -fvisibility=hidden (recommended: export nothing else). */
#if defined(__GNUC__) || defined(__clang__)
#define CRM_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define CRM_PLUGIN_EXPORT
#endif

/* --- kinds (crm_plugin_descriptor.kind) ---------------------------------- */

/* Learns from a dataset and predicts: methods "describe", "train",
 * "predict" (crm.plugin.v1 analysis.proto). */
#define CRM_PLUGIN_KIND_ANALYSIS 1u
/* Moves records between crmd and an external system: methods "describe",
 * "pull" and optionally "push" (crm.plugin.v1 connector.proto). */
#define CRM_PLUGIN_KIND_CONNECTOR 2u

/* --- flags (crm_plugin_descriptor.flags) --------------------------------- */

/* The plugin's `call` is NOT safe to run concurrently with itself for the
 * same state: the host serialises the calls of this plugin. Without it the
 * plugin promises that concurrent calls are safe. */
#define CRM_PLUGIN_FLAG_SERIAL 0x1u

/* --- methods (the `method` argument of `call`) --------------------------- */

/* Every plugin: request crm.plugin.v1.DescribeRequest (may be zero bytes),
 * response crm.plugin.v1.DescribeResponse. */
#define CRM_METHOD_DESCRIBE "describe"
/* Analysis: TrainRequest → TrainResponse. */
#define CRM_METHOD_TRAIN "train"
/* Analysis: PredictRequest → PredictResponse. */
#define CRM_METHOD_PREDICT "predict"
/* Connector: PullRequest → PullResponse. */
#define CRM_METHOD_PULL "pull"
/* Connector, optional: PushRequest → PushResponse. */
#define CRM_METHOD_PUSH "push"

/* --- status codes -------------------------------------------------------- */

/* What `init` and `call` return. They are gRPC's status codes, with the same
 * numbers and meanings (https://grpc.github.io/grpc/core/md_doc_statuscodes.html):
 * the host returns a plugin's error to its gRPC caller with this code and
 * the error's message. A code outside 1–16 is treated as UNKNOWN. */
#define CRM_STATUS_OK 0                  /* success; `response` holds the answer */
#define CRM_STATUS_CANCELLED 1           /* the call was cancelled (is_cancelled said so) */
#define CRM_STATUS_UNKNOWN 2             /* an error with no better code */
#define CRM_STATUS_INVALID_ARGUMENT 3    /* bad request: undecodable bytes, unknown algorithm or parameter, bad value, inconsistent dataset */
#define CRM_STATUS_DEADLINE_EXCEEDED 4   /* the plugin's own time limit expired */
#define CRM_STATUS_NOT_FOUND 5           /* something named in the request does not exist (in the external system) */
#define CRM_STATUS_ALREADY_EXISTS 6      /* the external system already has it */
#define CRM_STATUS_PERMISSION_DENIED 7   /* the external system refused the credentials' rights */
#define CRM_STATUS_RESOURCE_EXHAUSTED 8  /* out of memory, a quota, or a size limit */
#define CRM_STATUS_FAILED_PRECONDITION 9 /* state does not allow it: a model of an unreadable format, a stale cursor */
#define CRM_STATUS_ABORTED 10            /* a conflict; retrying the whole operation may work */
#define CRM_STATUS_OUT_OF_RANGE 11       /* a value past a valid range (a cursor past the end) */
#define CRM_STATUS_UNIMPLEMENTED 12      /* the method is not offered by this plugin (an unknown method name, or "push" on a pull-only connector) */
#define CRM_STATUS_INTERNAL 13           /* a bug in the plugin: an invariant broke */
#define CRM_STATUS_UNAVAILABLE 14        /* the external system cannot be reached now; retry later */
#define CRM_STATUS_DATA_LOSS 15          /* unrecoverable data corruption */
#define CRM_STATUS_UNAUTHENTICATED 16    /* the external system refused the credentials */

/* --- log levels (crm_host_api.log) --------------------------------------- */

/* The levels of swift-log, which the host logs with (to the journal under
 * systemd). */
#define CRM_LOG_TRACE 0
#define CRM_LOG_DEBUG 1
#define CRM_LOG_INFO 2
#define CRM_LOG_NOTICE 3
#define CRM_LOG_WARNING 4
#define CRM_LOG_ERROR 5
#define CRM_LOG_CRITICAL 6

/* --- types --------------------------------------------------------------- */

/* One call in progress, owned by the host, opaque to the plugin. Valid from
 * the start of `call` until it returns; passed back to report_progress and
 * is_cancelled. */
typedef struct crm_call_context crm_call_context;

/* Bytes handed from the plugin to the host: a response, an error message.
 * Owned by the plugin; the host gives every non-NULL `data` back to
 * `free_buffer(data, len)` exactly once. {NULL, 0} is the empty buffer. */
typedef struct crm_plugin_buffer {
    /* The bytes, or NULL when `len` is 0. */
    uint8_t *data;
    /* The number of bytes at `data`. */
    size_t len;
} crm_plugin_buffer;

/* An error from `init` or `call`. The host zero-initialises it; a plugin
 * that fails sets `code` to the status it returns and, ideally, a message. */
typedef struct crm_plugin_error {
    /* The same CRM_STATUS_* the function returns. The return value is
     * authoritative when the two differ. */
    int32_t code;
    /* For people: UTF-8, NOT NUL-terminated (its length is `message.len`),
     * e.g. "unknown parameter \"max_dept\"". May be empty. Freed with
     * `free_buffer` like a response. Must not contain secrets: the host logs
     * it and returns it to the gRPC caller. */
    crm_plugin_buffer message;
} crm_plugin_error;

/* The host's callbacks, given to `init`. The table and its `host_data` are
 * owned by the host and stay valid until `shutdown` returns. A plugin of an
 * older minor simply ignores fields appended after the ones it knows; a
 * plugin reads a field only if CRM_HOST_API_HAS(host, field) (always true
 * for the fields of its own minor, since the host's minor is not older). */
typedef struct crm_host_api {
    /* sizeof(crm_host_api) as compiled into the host. */
    uint32_t struct_size;
    /* The host's CRM_PLUGIN_ABI_MAJOR. */
    uint32_t abi_major;
    /* The host's CRM_PLUGIN_ABI_MINOR (≥ the plugin's). */
    uint32_t abi_minor;
    /* For the host's own use (it finds the plugin a `log` call comes from
     * through it). Plugins must not touch it. */
    void *host_data;
    /* Writes `message` (NUL-terminated UTF-8, one line is best) to the
     * daemon's log at `level` (CRM_LOG_*), attributed to this plugin. Any
     * thread, any time between the start of init and the return of
     * shutdown. */
    void (*log)(const struct crm_host_api *host, int32_t level, const char *message);
    /* Reports the progress of the call `ctx`: `fraction` from 0 to 1 (a
     * negative value means "unknown, but alive"), `message` a short
     * NUL-terminated phrase such as "epoch 3/200" or NULL. Cheap; still,
     * call it at most a few times a second. Only while that call runs. */
    void (*report_progress)(crm_call_context *ctx, double fraction, const char *message);
    /* Returns non-zero once the call `ctx` has been cancelled (the gRPC
     * caller went away or cancelled the job, or the daemon is stopping). A
     * long call polls it (a few times a second is enough) and then returns
     * CRM_STATUS_CANCELLED promptly. Only while that call runs. */
    int32_t (*is_cancelled)(crm_call_context *ctx);
} crm_host_api;

/* Whether the host table has `field` (it was appended in a minor the host
 * speaks). */
#define CRM_HOST_API_HAS(host, field) \
    ((host)->struct_size >= offsetof(crm_host_api, field) + sizeof((host)->field))

/* What `crm_plugin_entry` returns: a plugin's identity and its functions.
 * Static, constant data owned by the plugin. */
typedef struct crm_plugin_descriptor {
    /* CRM_PLUGIN_MAGIC. */
    uint32_t magic;
    /* CRM_PLUGIN_ABI_MAJOR as the plugin was compiled. */
    uint32_t abi_major;
    /* CRM_PLUGIN_ABI_MINOR as the plugin was compiled. */
    uint32_t abi_minor;
    /* sizeof(crm_plugin_descriptor) as the plugin was compiled. */
    uint32_t struct_size;
    /* CRM_PLUGIN_KIND_ANALYSIS or CRM_PLUGIN_KIND_CONNECTOR. */
    uint32_t kind;
    /* CRM_PLUGIN_FLAG_* bits; 0 for none. */
    uint32_t flags;
    /* Unique among loaded plugins: lower-case letters, digits and '-',
     * 1–63 characters, e.g. "decision-tree", "odoo". What `crmctl plugin
     * list` shows and the daemon's configuration refers to. */
    const char *name;
    /* The plugin's own version, e.g. "1.2.0" (semantic versioning advised). */
    const char *version;
    /* One line for people: what it does. */
    const char *description;
    /* SPDX license expression, e.g. "Apache-2.0", "MIT", "LicenseRef-Proprietary". */
    const char *license;

    /* Creates the plugin's state.
     *   host:       the host's callbacks (never NULL); keep the pointer.
     *   config:     a crm.plugin.v1.PluginConfig message, `config_len` bytes
     *               (NULL when config_len is 0: every field at its default).
     *   state:      out: the plugin's state, passed to every call and to
     *               shutdown; may be NULL if the plugin needs none.
     *   error:      out on failure: code and message.
     * Returns CRM_STATUS_OK, or an error code (INVALID_ARGUMENT for bad
     * settings, UNAVAILABLE when a dependency is missing…); on error the
     * plugin has released everything itself and shutdown is not called. */
    int32_t (*init)(const crm_host_api *host, const uint8_t *config, size_t config_len, void **state,
        crm_plugin_error *error);

    /* Runs one method.
     *   state:       what init returned.
     *   method:      NUL-terminated name, CRM_METHOD_* (e.g. "train").
     *   request:     the encoded request message of that method,
     *                `request_len` bytes (NULL when request_len is 0, which
     *                is the message with every field at its default).
     *   ctx:         this call, for report_progress and is_cancelled. crmd
     *                always passes one; plugins should tolerate NULL (no
     *                progress, never cancelled) so simple harnesses can
     *                drive them.
     *   response:    out on success: the encoded response message, allocated
     *                by the plugin, freed by the host with free_buffer.
     *                An empty buffer is a valid (all-default) message.
     *   error:       out on failure: code and message.
     * Returns CRM_STATUS_OK with `response` set, or an error code with
     * `error` set: UNIMPLEMENTED for a method the plugin does not know,
     * INVALID_ARGUMENT for a request that does not decode or is
     * inconsistent, CANCELLED after is_cancelled said so. */
    int32_t (*call)(void *state, const char *method, const uint8_t *request, size_t request_len,
        crm_call_context *ctx, crm_plugin_buffer *response, crm_plugin_error *error);

    /* Frees a buffer this plugin handed out (a response or an error
     * message), given the `data` and `len` it was handed out with. Never
     * called with NULL. Must not need the state (init errors have none). */
    void (*free_buffer)(uint8_t *data, size_t len);

    /* Releases `state`. Called once, when no call is running and every
     * buffer has been freed; the host then never uses `state` again. */
    void (*shutdown)(void *state);
} crm_plugin_descriptor;

/* The entry function's type, for the host's dlsym(). */
typedef const crm_plugin_descriptor *(*crm_plugin_entry_fn)(void);

/* The entry function every plugin defines (declared here so that a C
 * plugin's definition is checked against it). */
CRM_PLUGIN_EXPORT const crm_plugin_descriptor *CRM_PLUGIN_ENTRY(void);

/* The smallest `struct_size` a descriptor declaring `abi_minor` may have:
 * the end of the last field that minor defines. 0 for a minor this header
 * does not know (newer than CRM_PLUGIN_ABI_MINOR). */
static inline size_t crm_plugin_descriptor_size_for_minor(uint32_t abi_minor)
{
    switch (abi_minor) {
    case 0:
        return offsetof(crm_plugin_descriptor, shutdown) + sizeof(((crm_plugin_descriptor *)0)->shutdown);
    default:
        return 0;
    }
}

/* The smallest `struct_size` a host table of `abi_minor` may have. 0 for a
 * minor this header does not know. */
static inline size_t crm_host_api_size_for_minor(uint32_t abi_minor)
{
    switch (abi_minor) {
    case 0:
        return offsetof(crm_host_api, is_cancelled) + sizeof(((crm_host_api *)0)->is_cancelled);
    default:
        return 0;
    }
}

/* The flag bits a descriptor declaring `abi_minor` may set; any other bit
 * refuses the plugin. */
static inline uint32_t crm_plugin_known_flags(uint32_t abi_minor)
{
    (void)abi_minor;
    return CRM_PLUGIN_FLAG_SERIAL;
}

/* --- for hosts ----------------------------------------------------------- */

/* Linked into whatever links the CRMPluginABI target, never exported from a
 * shared library. Plugins do not need it. */
#if defined(__GNUC__) || defined(__clang__)
#define CRM_PLUGIN_HIDDEN __attribute__((visibility("hidden")))
#else
#define CRM_PLUGIN_HIDDEN
#endif

/* Checks `descriptor` against step 4 of "Loading" for a host built with this
 * header (CRM_PLUGIN_ABI_MAJOR.CRM_PLUGIN_ABI_MINOR), reading no field the
 * descriptor's declared size does not cover. Returns 1 when it is valid.
 * Otherwise returns 0 and writes the first problem found, NUL-terminated and
 * cut to `reason_size` bytes, into `reason` (when not NULL), e.g.
 * "ABI major 2 is not supported (this host speaks 1.0)" or
 * "name \"My Plugin\" is invalid: use 1-63 of a-z, 0-9 and '-'". */
CRM_PLUGIN_HIDDEN int crm_plugin_validate_descriptor(
    const crm_plugin_descriptor *descriptor, char *reason, size_t reason_size);

#ifdef __cplusplus
}
#endif

#endif /* CRM_PLUGIN_H */
