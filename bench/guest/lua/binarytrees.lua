-- binarytrees: allocates complete binary trees of tables and walks them:
-- allocation and the garbage collector.
local MIN_DEPTH, MAX_DEPTH = 4, 12

local function make(depth)
    if depth == 0 then
        return {}
    end
    depth = depth - 1
    return {make(depth), make(depth)}
end

local function count(tree)
    if tree[1] == nil then
        return 1
    end
    return 1 + count(tree[1]) + count(tree[2])
end

local total = count(make(MAX_DEPTH + 1))
local long_lived = make(MAX_DEPTH)
for depth = MIN_DEPTH, MAX_DEPTH, 2 do
    local iterations = 1 << (MAX_DEPTH - depth + MIN_DEPTH)
    for _ = 1, iterations do
        total = total + count(make(depth))
    end
end
total = total + count(long_lived)
print(string.format("binarytrees: %d nodes", total))
