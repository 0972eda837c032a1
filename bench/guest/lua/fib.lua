-- fib: naive doubly recursive Fibonacci: calls, returns, integer adds.
local N = 30

local function fib(n)
    if n < 2 then
        return n
    end
    return fib(n - 1) + fib(n - 2)
end

print(string.format("fib(%d) = %d", N, fib(N)))
