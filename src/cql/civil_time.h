#pragma once

// Calendar arithmetic shared by the literal parsers and printers (proleptic
// Gregorian, as Cassandra uses). Internal to the cql layer.

#include <cstdint>

namespace helenus::cql {

// Days since 1970-01-01 of a civil date.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
// The civil date of a day count since 1970-01-01.
void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d);

}  // namespace helenus::cql
