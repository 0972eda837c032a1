-- run: bench/run's Lua workload: runs each script named on the command line
-- (by default all four) in this one interpreter.
local dir = arg[0]:match("^(.*)/") or "."
local scripts = #arg > 0 and arg or {"fib", "binarytrees", "strings", "tables"}
for _, name in ipairs(scripts) do
    dofile(dir .. "/" .. name .. ".lua")
end
