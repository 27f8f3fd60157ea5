# crmd: release build, install and uninstall (docs/systemd.md).
#
#   make                                  release build in .build-release (~15 min on 2 cores)
#   sudo make install                     into /usr/local, units where systemd finds them
#   make install DESTDIR=/tmp/stage PREFIX=/usr   staged, for a package
#   sudo make uninstall                   removes what install put; keeps /etc/crmd and /var/lib/crmd
#
# Every directory below can be overridden on the command line. Targets that only
# copy files can run on binaries built elsewhere, e.g. the debug build:
#   make install BUILD_DIR=.build/debug -o build

PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
PLUGINDIR   ?= $(LIBDIR)/crmd/plugins
# crmd-plugin-host, the process each plugin runs in. crmd finds it in ../libexec/crmd/
# from its own folder, or where $CRMD_PLUGIN_HOST (set by the unit) says.
LIBEXECDIR  ?= $(PREFIX)/libexec
# systemd looks in /usr/local/lib/... and /usr/lib/... for all three (on Debian
# 12 /lib is /usr/lib). For another PREFIX, point these at /etc/systemd/system,
# /etc/sysusers.d and /etc/tmpfiles.d, or at `pkg-config --variable=systemdsystemunitdir systemd`.
UNITDIR     ?= $(LIBDIR)/systemd/system
SYSUSERSDIR ?= $(LIBDIR)/sysusers.d
TMPFILESDIR ?= $(LIBDIR)/tmpfiles.d
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# The unit reads /etc/crmd/crmd.yaml whatever the PREFIX.
CONFDIR     ?= /etc/crmd

SWIFT       ?= swift
# A scratch folder of its own, so that the debug build in .build stays usable.
SCRATCH     ?= .build-release
BUILD_DIR   ?= $(SCRATCH)/release
# Generated files (units with paths filled in, completions, man pages).
DIST_DIR    ?= $(SCRATCH)/dist
# Shipped plugins: each NAME here is installed from $(BUILD_DIR)/libNAME.so.
PLUGINS     ?= crmplugin-nearest-centroid crmplugin-gaussian-nb crmplugin-decision-tree crmplugin-svm crmplugin-neural-network
# Man pages carry the date of the last commit, so that a rebuild is identical.
MAN_DATE    ?= $(shell git log -1 --format=%cs 2>/dev/null || date +%Y-%m-%d)

INSTALL     ?= install
# One recipe line per item of a $(foreach ...).
define newline


endef
SED_PATHS    = -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@PLUGINDIR@|$(PLUGINDIR)|g' \
               -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g'

UNITS        = crmd.service crmd.socket
COMPLETIONS  = $(DIST_DIR)/completions/crmctl.bash $(DIST_DIR)/completions/_crmctl $(DIST_DIR)/completions/crmctl.fish
MANPAGES     = $(DIST_DIR)/man/crmd.8 $(DIST_DIR)/man/crmctl.1

.PHONY: all build man units completions install uninstall check-units clean-dist
# build must finish before the rules that run the binaries.
.NOTPARALLEL:

all: build

build:
	$(SWIFT) build -c release --scratch-path $(SCRATCH) --product crmd
	$(SWIFT) build -c release --scratch-path $(SCRATCH) --product crmctl
	$(SWIFT) build -c release --scratch-path $(SCRATCH) --product crmd-plugin-host
	$(foreach p,$(PLUGINS),$(SWIFT) build -c release --scratch-path $(SCRATCH) --product $(p)$(newline))

# swift-argument-parser's generate-manual tool, run on the built binaries
# (what `swift package generate-manual` does, without building in debug).
# SwiftPM's scratch folder of BUILD_DIR: <scratch>/debug or <scratch>/<triple>/debug.
# Building into the wrong one would replace BUILD_DIR with a symlink.
BUILD_PARENT = $(patsubst %/,%,$(dir $(BUILD_DIR)))
BUILD_SCRATCH = $(if $(findstring -linux-,$(notdir $(BUILD_PARENT))),$(patsubst %/,%,$(dir $(BUILD_PARENT))),$(BUILD_PARENT))

$(BUILD_DIR)/generate-manual:
	$(SWIFT) build -c $(notdir $(BUILD_DIR)) --scratch-path $(BUILD_SCRATCH) --product generate-manual

man: $(MANPAGES)

$(DIST_DIR)/man/crmd.8: $(BUILD_DIR)/crmd $(BUILD_DIR)/generate-manual
	@mkdir -p $(@D)
	$(BUILD_DIR)/generate-manual $(BUILD_DIR)/crmd --section 8 --date $(MAN_DATE) --output-directory $(@D)

$(DIST_DIR)/man/crmctl.1: $(BUILD_DIR)/crmctl $(BUILD_DIR)/generate-manual
	@mkdir -p $(@D)
	$(BUILD_DIR)/generate-manual $(BUILD_DIR)/crmctl --section 1 --date $(MAN_DATE) --output-directory $(@D)

completions: $(COMPLETIONS)

$(DIST_DIR)/completions/crmctl.bash: $(BUILD_DIR)/crmctl
	@mkdir -p $(@D)
	$(BUILD_DIR)/crmctl --generate-completion-script bash > $@.tmp && mv $@.tmp $@

$(DIST_DIR)/completions/_crmctl: $(BUILD_DIR)/crmctl
	@mkdir -p $(@D)
	$(BUILD_DIR)/crmctl --generate-completion-script zsh > $@.tmp && mv $@.tmp $@

$(DIST_DIR)/completions/crmctl.fish: $(BUILD_DIR)/crmctl
	@mkdir -p $(@D)
	$(BUILD_DIR)/crmctl --generate-completion-script fish > $@.tmp && mv $@.tmp $@

# Units with the install paths filled in. Always regenerated: the paths
# depend on the variables of this run, not on file times.
units:
	@mkdir -p $(DIST_DIR)/systemd
	$(foreach u,$(UNITS),sed $(SED_PATHS) systemd/$(u) > $(DIST_DIR)/systemd/$(u)$(newline))

install: build man completions units
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(LIBEXECDIR)/crmd $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(INSTALL) -m 0755 $(BUILD_DIR)/crmd $(BUILD_DIR)/crmctl $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 0755 $(BUILD_DIR)/crmd-plugin-host $(DESTDIR)$(LIBEXECDIR)/crmd/
	$(foreach p,$(PLUGINS),$(INSTALL) -m 0755 $(BUILD_DIR)/lib$(p).so $(DESTDIR)$(PLUGINDIR)/$(newline))
	$(INSTALL) -m 0644 $(addprefix $(DIST_DIR)/systemd/,$(UNITS)) $(DESTDIR)$(UNITDIR)/
	$(INSTALL) -m 0644 systemd/sysusers.d/crmd.conf $(DESTDIR)$(SYSUSERSDIR)/crmd.conf
	$(INSTALL) -m 0644 systemd/tmpfiles.d/crmd.conf $(DESTDIR)$(TMPFILESDIR)/crmd.conf
	$(INSTALL) -m 0644 $(DIST_DIR)/man/crmd.8 $(DESTDIR)$(MANDIR)/man8/crmd.8
	$(INSTALL) -m 0644 $(DIST_DIR)/man/crmctl.1 $(DESTDIR)$(MANDIR)/man1/crmctl.1
	$(INSTALL) -m 0644 $(DIST_DIR)/completions/crmctl.bash $(DESTDIR)$(BASHCOMPDIR)/crmctl
	$(INSTALL) -m 0644 $(DIST_DIR)/completions/_crmctl $(DESTDIR)$(ZSHCOMPDIR)/_crmctl
	$(INSTALL) -m 0644 $(DIST_DIR)/completions/crmctl.fish $(DESTDIR)$(FISHCOMPDIR)/crmctl.fish
	@# The configuration is the administrator's once installed: never overwritten.
	@if [ -e $(DESTDIR)$(CONFDIR)/crmd.yaml ]; then \
		echo "keeping $(DESTDIR)$(CONFDIR)/crmd.yaml (the new default is etc/crmd.yaml)"; \
	else \
		echo "$(INSTALL) -D -m 0644 etc/crmd.yaml $(DESTDIR)$(CONFDIR)/crmd.yaml"; \
		$(INSTALL) -D -m 0644 etc/crmd.yaml $(DESTDIR)$(CONFDIR)/crmd.yaml; \
	fi
	@# Installing onto this machine as root: do what a package's post-install
	@# step does, so that enabling the socket is all that is left.
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ] && command -v systemd-sysusers >/dev/null; then \
		echo "systemd-sysusers $(SYSUSERSDIR)/crmd.conf && systemd-tmpfiles --create $(TMPFILESDIR)/crmd.conf"; \
		systemd-sysusers $(SYSUSERSDIR)/crmd.conf && systemd-tmpfiles --create $(TMPFILESDIR)/crmd.conf; \
		if [ -d /run/systemd/system ]; then echo "systemctl daemon-reload"; systemctl daemon-reload; fi; \
		echo; echo "Installed crmd. Next: systemctl enable --now crmd.socket   (crmd starts on the first call)"; \
		echo "Who may call it: usermod -aG crm USER; then $(BINDIR)/crmctl admin stats"; \
	else \
		echo; echo "Installed crmd$(if $(DESTDIR), into $(DESTDIR)). Next, as root$(if $(DESTDIR), on the target machine):"; \
		echo "  systemd-sysusers $(SYSUSERSDIR)/crmd.conf      # user and group crm"; \
		echo "  systemd-tmpfiles --create $(TMPFILESDIR)/crmd.conf"; \
		echo "  systemctl daemon-reload"; \
		echo "  systemctl enable --now crmd.socket          # crmd starts on the first call"; \
		echo "  usermod -aG crm YOUR-USER                   # who may call crmd ($(BINDIR)/crmctl admin stats)"; \
	fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/crmd $(DESTDIR)$(BINDIR)/crmctl $(DESTDIR)$(LIBEXECDIR)/crmd/crmd-plugin-host
	rmdir $(DESTDIR)$(LIBEXECDIR)/crmd 2>/dev/null || true
	$(foreach p,$(PLUGINS),rm -f $(DESTDIR)$(PLUGINDIR)/lib$(p).so$(newline))
	@# Only when empty: plugins from elsewhere stay.
	rmdir $(DESTDIR)$(PLUGINDIR) $(DESTDIR)$(LIBDIR)/crmd 2>/dev/null || true
	rm -f $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS))
	rm -f $(DESTDIR)$(SYSUSERSDIR)/crmd.conf $(DESTDIR)$(TMPFILESDIR)/crmd.conf
	rm -f $(DESTDIR)$(MANDIR)/man8/crmd.8 $(DESTDIR)$(MANDIR)/man1/crmctl.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/crmctl $(DESTDIR)$(ZSHCOMPDIR)/_crmctl $(DESTDIR)$(FISHCOMPDIR)/crmctl.fish
	@echo
	@echo "Kept: $(DESTDIR)$(CONFDIR) (configuration), /etc/credstore/crmd.backup-key (backup key),"
	@echo "/var/lib/crmd (the database) and the user crm. Stop crmd before uninstalling:"
	@echo "  systemctl disable --now crmd.socket crmd.service"

# Every unit passes systemd-analyze verify, and the service's exposure stays at 2.5 or lower.
check-units:
	scripts/check-units.sh

clean-dist:
	rm -rf $(DIST_DIR)
