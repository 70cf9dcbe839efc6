-- bench/cases/reads.lua — wrk script of bench/cases/run.sh: GET /api/v1/cases/{id}.
--
--   wrk -s reads.lua -H 'Authorization: Bearer …' URL -- IDS
--
-- IDS: a file of case ids, one a line. Each thread formats all the requests
-- once in init() and sends them in turn, starting at a different place, so
-- the script costs wrk almost nothing per request. No response() callback
-- (it would copy every body into Lua): wrk's own "Non-2xx or 3xx responses"
-- line counts the failures, and run.sh stops on any.
local threads = {}
local reqs, i = {}, 0

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

function init(args)
	for id in io.lines(args[1]) do
		if id:match("^%d+$") then
			reqs[#reqs + 1] = wrk.format("GET", "/api/v1/cases/" .. id)
		end
	end
	assert(#reqs > 0, "reads.lua: no ids in " .. args[1])
	i = ((tid or 1) * 7919) % #reqs
end

function request()
	i = i % #reqs + 1
	return reqs[i]
end
