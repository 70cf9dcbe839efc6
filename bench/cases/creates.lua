-- bench/cases/creates.lua — wrk script of bench/cases/run.sh: POST /api/v1/cases.
--
--   wrk -s creates.lua -H 'Authorization: Bearer …' URL -- DATA [ids]
--
-- DATA: lines "P lat lon" (points inside the demo zone: the micro-grids' label
-- points) and "C code" (categories). Each request files one case: a category
-- and a point taken at random (the point moved by up to ±1 m), source
-- grid_patrol, a description naming the thread and the request.
--
-- A third argument "public" files through POST /api/v1/public/cases instead
-- (a resident's report: a phone, no source, no login).
--
-- Every answer's status is counted; with "ids", the id of every 201 is kept
-- (the first "id" of the body: the case's). done() prints, for run.sh:
--   LUA sent=N answered=N s201=N non2xx=N noid=N
--   LUA status CODE COUNT          (one line per status)
--   LUA first_error CODE BODY      (the first answer >= 300, if any)
-- and with "ids" writes the ids, one a line, to DATA.ids.
-- "sent" counts requests handed to wrk; sent - answered were in flight when
-- wrk stopped (the server may have filed them: they are not lost, only unanswered).
-- Per-thread state that done() reads through thread:get must be global.
local threads = {}
local points, cats = {}, {}
local counter = 0
statuses, ids = {}, {}
sent, answered, noid = 0, 0, 0
first_error = ""
collect = false
data_path = nil

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

function init(args)
	local f = assert(io.open(args[1], "r"))
	for line in f:lines() do
		local kind, a, b = line:match("^(%a) (%S+) ?(%S*)$")
		if kind == "P" then
			points[#points + 1] = { tonumber(a), tonumber(b) }
		elseif kind == "C" then
			cats[#cats + 1] = a
		end
	end
	f:close()
	assert(#points > 0 and #cats > 0, "creates.lua: no points or no categories in " .. args[1])
	collect = args[2] == "ids"
	public = args[3] == "public"
	data_path = args[1]
	math.randomseed((tid or 1) * 7919 + os.time())
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	counter = counter + 1
	sent = sent + 1
	local p = points[math.random(#points)]
	local body = string.format(
		'{"category":"%s","description":"bench %d-%d 道路不洁,请处理","lat":%.7f,"lon":%.7f,%s}',
		cats[math.random(#cats)], tid or 0, counter,
		p[1] + (math.random() - 0.5) * 2e-5, p[2] + (math.random() - 0.5) * 2e-5,
		public and '"phone":"13800001234"' or '"source":"grid_patrol"')
	return wrk.format("POST", public and "/api/v1/public/cases" or "/api/v1/cases", nil, body)
end

function response(status, headers, body)
	answered = answered + 1
	statuses[status] = (statuses[status] or 0) + 1
	if status == 201 and collect then
		local id = body:match('^{"id":(%d+)')
		if id then
			ids[#ids + 1] = id
		else
			noid = noid + 1
		end
	end
	if status >= 300 and first_error == "" then
		first_error = status .. " " .. body:sub(1, 400):gsub("%s", " ")
	end
end

function done(summary, latency, requests)
	local total = { sent = 0, answered = 0, noid = 0 }
	local by_status, all_ids, err, path = {}, {}, "", nil
	for _, t in ipairs(threads) do
		total.sent = total.sent + t:get("sent")
		total.answered = total.answered + t:get("answered")
		total.noid = total.noid + t:get("noid")
		for code, n in pairs(t:get("statuses")) do
			by_status[code] = (by_status[code] or 0) + n
		end
		if t:get("collect") then
			for _, id in ipairs(t:get("ids")) do
				all_ids[#all_ids + 1] = id
			end
		end
		if err == "" then
			err = t:get("first_error")
		end
		path = path or t:get("data_path")
	end
	local s201, non2xx = 0, 0
	for code, n in pairs(by_status) do
		if code == 201 then
			s201 = s201 + n
		end
		if code < 200 or code >= 300 then
			non2xx = non2xx + n
		end
		io.write(string.format("LUA status %d %d\n", code, n))
	end
	io.write(string.format("LUA sent=%d answered=%d s201=%d non2xx=%d noid=%d\n",
		total.sent, total.answered, s201, non2xx, total.noid))
	if err ~= "" then
		io.write("LUA first_error " .. err .. "\n")
	end
	if #all_ids > 0 and path then
		local f = assert(io.open(path .. ".ids", "a"))
		f:write(table.concat(all_ids, "\n"), "\n")
		f:close()
	end
end
