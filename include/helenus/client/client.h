#pragma once

// The CQL client: include this one header.
#include "helenus/client/error.h"
#include "helenus/client/result.h"
#include "helenus/client/session.h"
#include "helenus/client/statement.h"
#include "helenus/client/values.h"
