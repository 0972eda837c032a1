#!/bin/sh
# procs.sh: bench/run's procs workload: 2,000 short processes one after
# another, each mapping, touching and unmapping 256 KiB to 1 MiB
# (bench/maptouch); fails if any of them does.
i=0
while [ $i -lt 2000 ]; do
    /bench/maptouch $((256 * (i % 4 + 1))) || exit 1
    i=$((i + 1))
done
