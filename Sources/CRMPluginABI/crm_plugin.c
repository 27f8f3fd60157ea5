/*
 * The one piece of code behind crm_plugin.h: the descriptor check every host
 * runs before it calls a plugin, and compile-time checks that the header's
 * layout is what the ABI documents.
 */
#include "crm_plugin.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The layout of ABI 1.0 on 64-bit Linux. A change here is an ABI break. */
_Static_assert(sizeof(void *) == 8, "crm_plugin.h is defined for 64-bit platforms");
_Static_assert(offsetof(crm_plugin_descriptor, magic) == 0, "magic moved");
_Static_assert(offsetof(crm_plugin_descriptor, abi_major) == 4, "abi_major moved");
_Static_assert(offsetof(crm_plugin_descriptor, abi_minor) == 8, "abi_minor moved");
_Static_assert(offsetof(crm_plugin_descriptor, struct_size) == 12, "struct_size moved");
_Static_assert(offsetof(crm_plugin_descriptor, name) == 24, "name moved");
_Static_assert(offsetof(crm_plugin_descriptor, init) == 56, "init moved");
_Static_assert(sizeof(crm_plugin_descriptor) == 88, "crm_plugin_descriptor 1.0 is 88 bytes");
_Static_assert(sizeof(crm_host_api) == 48, "crm_host_api 1.0 is 48 bytes");
_Static_assert(sizeof(crm_plugin_buffer) == 16, "crm_plugin_buffer is 16 bytes");
_Static_assert(sizeof(crm_plugin_error) == 24, "crm_plugin_error 1.0 is 24 bytes");

static int refuse(char *reason, size_t reason_size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(char *reason, size_t reason_size, const char *format, ...)
{
    if (reason != NULL && reason_size > 0) {
        va_list arguments;
        va_start(arguments, format);
        vsnprintf(reason, reason_size, format, arguments);
        va_end(arguments);
    }
    return 0;
}

static int is_valid_name(const char *name)
{
    size_t length = strlen(name);
    if (length < 1 || length > 63) {
        return 0;
    }
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
        if (!ok) {
            return 0;
        }
    }
    return 1;
}

static int is_valid_version(const char *version)
{
    size_t length = strlen(version);
    if (length < 1 || length > 64) {
        return 0;
    }
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)version[i];
        if (c <= 0x20 || c >= 0x7F) {
            return 0;
        }
    }
    return 1;
}

int crm_plugin_validate_descriptor(const crm_plugin_descriptor *d, char *reason, size_t reason_size)
{
    if (d == NULL) {
        return refuse(reason, reason_size, "the entry function returned NULL");
    }
    if (d->magic != CRM_PLUGIN_MAGIC) {
        return refuse(reason, reason_size, "wrong magic 0x%08X (expected 0x%08X): not a crmd plugin descriptor",
            d->magic, CRM_PLUGIN_MAGIC);
    }
    if (d->abi_major != CRM_PLUGIN_ABI_MAJOR) {
        return refuse(reason, reason_size, "ABI major %u is not supported (this host speaks %d.%d)", d->abi_major,
            CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR);
    }
    if (d->abi_minor > CRM_PLUGIN_ABI_MINOR) {
        return refuse(reason, reason_size, "ABI %u.%u is newer than this host's %d.%d: upgrade crmd", d->abi_major,
            d->abi_minor, CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR);
    }
    size_t needed = crm_plugin_descriptor_size_for_minor(d->abi_minor);
    if (d->struct_size < needed) {
        return refuse(reason, reason_size, "descriptor size %u is smaller than the %zu bytes ABI %u.%u requires",
            d->struct_size, needed, d->abi_major, d->abi_minor);
    }
    if (d->kind != CRM_PLUGIN_KIND_ANALYSIS && d->kind != CRM_PLUGIN_KIND_CONNECTOR) {
        return refuse(reason, reason_size, "unknown kind %u (expected %u analysis or %u connector)", d->kind,
            CRM_PLUGIN_KIND_ANALYSIS, CRM_PLUGIN_KIND_CONNECTOR);
    }
    uint32_t unknown_flags = d->flags & ~crm_plugin_known_flags(d->abi_minor);
    if (unknown_flags != 0) {
        return refuse(reason, reason_size, "unknown flags 0x%X for ABI %u.%u", unknown_flags, d->abi_major,
            d->abi_minor);
    }
    if (d->name == NULL) {
        return refuse(reason, reason_size, "name is NULL");
    }
    if (!is_valid_name(d->name)) {
        return refuse(reason, reason_size, "name \"%.80s\" is invalid: use 1-63 of a-z, 0-9 and '-', not starting with '-'",
            d->name);
    }
    if (d->version == NULL || !is_valid_version(d->version)) {
        return refuse(reason, reason_size, "version of \"%s\" is missing or invalid: use 1-64 printable ASCII characters",
            d->name);
    }
    if (d->description == NULL) {
        return refuse(reason, reason_size, "description of \"%s\" is NULL", d->name);
    }
    if (d->license == NULL) {
        return refuse(reason, reason_size, "license of \"%s\" is NULL", d->name);
    }
    if (d->init == NULL || d->call == NULL || d->free_buffer == NULL || d->shutdown == NULL) {
        return refuse(reason, reason_size, "\"%s\" lacks a function: init, call, free_buffer and shutdown are required",
            d->name);
    }
    if (reason != NULL && reason_size > 0) {
        reason[0] = '\0';
    }
    return 1;
}
