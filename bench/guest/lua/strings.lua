-- strings: builds strings piece by piece (table.concat, string.format,
-- concatenation), then searches and rewrites them: the string library,
-- interning and hashing.
local ROUNDS = 300

local sum = 0
for round = 1, ROUNDS do
    local parts = {}
    for i = 1, 200 do
        parts[#parts + 1] = string.format("%d:%x;", i * round, i + round)
    end
    local s = table.concat(parts)
    local line = ""
    for i = 1, 60 do
        line = line .. string.char(97 + (i + round) % 26)
    end
    s = s .. line:upper() .. line:rep(3, "-")
    local replaced, n = s:gsub("%d+", function(d) return #d end)
    sum = (sum + #replaced + n) % 1000000007
    for word in s:gmatch("[a-f]+") do
        sum = (sum + #word) % 1000000007
    end
    sum = (sum + (s:find("1", 1, true) or 0) + #s:sub(10, -10):reverse()) % 1000000007
end
print(string.format("strings: %d", sum))
