-- tables: fills, rehashes and empties tables with integer and string keys,
-- sorts arrays: the table implementation's array and hash parts.
local ROUNDS = 20
local SIZE = 5000

local seed = 12345
local function random()
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed
end

local sum = 0
for _ = 1, ROUNDS do
    local map = {}
    for i = 1, SIZE do
        map["k" .. random() % (SIZE * 2)] = i
    end
    local array = {}
    for key, value in pairs(map) do
        array[#array + 1] = value + #key
    end
    table.sort(array)
    for i = 1, #array, 7 do
        sum = (sum + array[i]) % 1000000007
    end
    for key in pairs(map) do
        map[key] = nil
    end
    local list = {}
    for i = 1, SIZE do
        table.insert(list, i)
    end
    while #list > SIZE // 2 do
        sum = (sum + table.remove(list)) % 1000000007
    end
    sum = (sum + #list + (next(map) == nil and 1 or 0)) % 1000000007
end
print(string.format("tables: %d", sum))
