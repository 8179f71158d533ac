# fib_simple / neigh_small: top-level make targets.
#
# This file is only read by a plain `make` in this directory; when kbuild
# builds our modules (M=this dir) it reads ./Kbuild instead.
#
#   make deps                     install missing Debian packages (root)
#   make kernel PROFILE=stock     configure and build one profile
#   make modules PROFILE=hook     build our modules out of tree against it
#   make check                    what CI runs: deps, profiles, families, table
#   make check-full               every family everywhere, long versions,
#                                 series-check, the DKMS build
#   make run PROFILE=p FAMILY=f   one family on one profile (and its verdict)
#   make shell PROFILE=p          boot a profile with a shell on the console
#   make report                   sizes, memory, lookup cost vs stock: table,
#                                 CSV and plots in build/report/
#   make report-readme            put the last report into README.md
#   make demo                     build the smallest profile, show it working
#   make clean                    remove build/ (kernel trees, builds, results)
#
# KSERIES=6.1 on any target: Debian 12's kernel series (compat/6.1/),
# built under build/6.1/; the default is 6.12.

PROFILE ?= stock
FAMILY ?= smoke
KSERIES ?= 6.12
export KSERIES

.PHONY: all help deps kernel modules check check-full report report-readme run shell demo harness clean

all: help
help:
	@sed -n 's/^#   //p' Makefile

deps:
	@scripts/deps.sh

kernel: deps
	@scripts/kernel.sh $(PROFILE)

modules: kernel
	@scripts/modules.sh $(PROFILE)

check: deps
	@selftests/check.sh

check-full: deps
	@selftests/check.sh --full

report:
	@scripts/report.sh

report-readme:
	@scripts/report.sh --readme

run: kernel
	@selftests/vm.sh $(PROFILE) $(FAMILY)

harness: kernel
	@selftests/harness.sh $(PROFILE)

shell: kernel
	@selftests/vm.sh --interactive $(PROFILE)

demo: deps
	@selftests/demo.sh

clean:
	rm -rf build
	find . -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name 'modules.order' -o -name 'Module.symvers' | \
		grep -v '^./build/' | xargs -r rm -f
