#include "expr/jsonata/functions.h"
namespace stepline::jsonata {
Value FnFormatInteger(CallCtx& c) { return Value(); }
Value FnParseInteger(CallCtx& c) { return Value(); }
}
