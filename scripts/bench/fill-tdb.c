/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Benchmark tool (scripts/bench.sh only): puts COUNT records into one node's
 * copy of a ctdb volatile database, as if that node had written them, so a
 * recovery has real records to collect and push; or counts the records.
 *
 *   fill-tdb fill PATH COUNT DMASTER RSN    keys bench-00000..., value 64 bytes
 *   fill-tdb count PATH                     prints the number of bench- keys
 *
 * A record's data starts with the 24-byte ctdb_ltdb_header (rsn u64,
 * dmaster u32, reserved u32, flags u32, padding), host byte order.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tdb.h>

static TDB_CONTEXT *open_db(const char *path)
{
	TDB_CONTEXT *tdb = tdb_open(path, 0, TDB_NOSYNC, O_RDWR, 0);

	if (tdb == NULL)
		tdb = tdb_open(path, 0, TDB_NOSYNC | TDB_MUTEX_LOCKING, O_RDWR, 0);
	if (tdb == NULL)
		perror(path);
	return tdb;
}

static int count_one(TDB_CONTEXT *tdb, TDB_DATA key, TDB_DATA data, void *state)
{
	(void)tdb;
	(void)data;
	if (key.dsize >= 6 && memcmp(key.dptr, "bench-", 6) == 0)
		(*(unsigned long *)state)++;
	return 0;
}

int main(int argc, char **argv)
{
	TDB_CONTEXT *tdb;

	if (argc == 3 && strcmp(argv[1], "count") == 0) {
		unsigned long n = 0;

		if ((tdb = open_db(argv[2])) == NULL)
			return 1;
		tdb_traverse_read(tdb, count_one, &n);
		printf("%lu\n", n);
		tdb_close(tdb);
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "fill") == 0) {
		unsigned long count = strtoul(argv[3], NULL, 10), i;
		uint32_t dmaster = (uint32_t)strtoul(argv[4], NULL, 10);
		uint64_t rsn = strtoull(argv[5], NULL, 10);
		unsigned char value[24 + 64];
		char name[32];

		if ((tdb = open_db(argv[2])) == NULL)
			return 1;
		memset(value, 0, sizeof(value));
		memcpy(value, &rsn, 8);
		memcpy(value + 8, &dmaster, 4);
		memset(value + 24, 'v', 64);
		if (tdb_transaction_start(tdb) != 0) {
			fprintf(stderr, "transaction: %s\n", tdb_errorstr(tdb));
			return 1;
		}
		for (i = 0; i < count; i++) {
			TDB_DATA key, data;

			snprintf(name, sizeof(name), "bench-%05lu", i);
			key.dptr = (unsigned char *)name;
			key.dsize = strlen(name);
			data.dptr = value;
			data.dsize = sizeof(value);
			if (tdb_store(tdb, key, data, TDB_REPLACE) != 0) {
				fprintf(stderr, "store: %s\n", tdb_errorstr(tdb));
				return 1;
			}
		}
		if (tdb_transaction_commit(tdb) != 0) {
			fprintf(stderr, "commit: %s\n", tdb_errorstr(tdb));
			return 1;
		}
		tdb_close(tdb);
		return 0;
	}
	fprintf(stderr, "usage: fill-tdb fill PATH COUNT DMASTER RSN | count PATH\n");
	return 2;
}
