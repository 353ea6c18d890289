#include "expr/jsonata/functions.h"
namespace stepline::jsonata {
void RegisterDateTimeFunctions(std::vector<BuiltinDef>& out) {}
}
