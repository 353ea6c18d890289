// placeholder, replaced below
#include "expr/jsonata/functions.h"
namespace stepline::jsonata {
Value FnFormatNumber(CallCtx& c) { return Value(); }
}
