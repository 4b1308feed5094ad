-- Health of Crossplane packages (Provider, Function, Configuration): Healthy once installed and
-- healthy, Degraded when the package reports itself unhealthy, else Progressing.
local hs = { status = "Progressing", message = "waiting for the package to install" }
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local installed, healthy
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Installed" then installed = c end
  if c.type == "Healthy" then healthy = c end
end
if healthy ~= nil and healthy.status == "False" and healthy.reason ~= "UnknownPackageRevisionHealth" then
  hs.status = "Degraded"
  hs.message = healthy.message or healthy.reason
  return hs
end
if installed ~= nil and installed.status == "True" and healthy ~= nil and healthy.status == "True" then
  hs.status = "Healthy"
  hs.message = "installed and healthy"
  return hs
end
if installed ~= nil and installed.status == "False" then
  hs.message = installed.message or installed.reason or hs.message
end
return hs
