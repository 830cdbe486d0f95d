#!/usr/bin/env python3
"""Generate a deterministic corpus of mixed Chinese/English Markdown for the
`embargo check` benchmark: N files of about 1 MiB each, built from templates
(advisories, news, write-ups with code, threat reports), with a realistic
sprinkling of what the rules look for (addresses, URLs, dorks, code).

usage: gen.py OUTDIR [TOTAL_MB]   (default 512 MB; never commit the output)
"""
import os
import random
import sys

out = sys.argv[1]
total_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 512
rng = random.Random(20240501)
os.makedirs(out, exist_ok=True)

ZH = [
    "近日，某厂商发布安全公告，修复了其产品中的多个高危漏洞，建议用户尽快升级到最新版本。",
    "该漏洞源于管理接口对用户输入缺少校验，经过身份认证的攻击者可以借此读取任意文件。",
    "根据 GB/T 30279-2020 的分级规则，该漏洞被评为高危，CVSS 3.1 基础评分为 8.1。",
    "安全研究人员表示，目前尚未发现在野利用，但相关技术细节已经在社区中广泛讨论。",
    "我们建议运维人员检查日志中的异常请求，并在边界设备上限制管理端口的访问范围。",
    "本次更新同时改进了默认配置，关闭了不必要的调试接口，并加强了会话管理。",
    "攻击链通常包括信息收集、初始访问、权限提升与横向移动等阶段，防守方应分层设防。",
    "受影响的版本范围与修复版本详见厂商公告，用户可在管理界面的“关于”页面查看当前版本。",
]
EN = [
    "The vendor released version 3.4.3 to address a path traversal flaw in the file manager.",
    "An authenticated attacker could read arbitrary files outside the web root of the server.",
    "Administrators should restrict access to the management interface and rotate credentials.",
    "There is no evidence of exploitation in the wild at the time of writing, the vendor said.",
    "The advisory credits an external researcher who reported the issue through the bug bounty.",
    "Desktop browsers are unaffected; the flaw is in the server component of the product.",
    "See the CVE record and the vendor's knowledge base article for the full list of builds.",
    "Defenders should monitor for unusual outbound connections from the application servers.",
]
HEAD_ZH = ["漏洞描述", "影响范围", "修复建议", "参考链接", "技术分析", "时间线", "处置建议"]
HEAD_EN = ["Summary", "Affected versions", "Remediation", "References", "Details", "Timeline"]
CODE = [
    "```bash\n$ systemctl restart app\n$ tail -n 100 /var/log/app/error.log\n```\n",
    "```yaml\nserver:\n  port: 8443\n  debug: false\n```\n",
    "```python\ndef check_version(v):\n    return tuple(map(int, v.split('.'))) >= (3, 4, 3)\n```\n",
    "```json\n{\"product\": \"ExampleCMS\", \"fixed\": \"3.4.3\"}\n```\n",
]
SPICE = [
    "测试环境地址为 192.0.2.{n} 和 10.0.{n}.1，示例域名 www.example.com。",
    "Reference: https://nvd.nist.gov/vuln/detail/CVE-2024-{n:05d}",
    "相关讨论见 https://github.com/example/project/issues/{n}",
    "The lab host was 203.0.113.{n}; the build was 1.2.{n}.4 according to the changelog.",
    "攻击者 IP 45.{a}.{b}.{c} 已被封禁（见 IOC 列表）。",
    "联系方式：security@vendor-example.com.cn",
    "版本 5.2.3.{n} 及以下受影响，5.2.4.0 已修复；Chrome/121.0.0.0 不受影响。",
]


def paragraph():
    zh = rng.random() < 0.6
    src = ZH if zh else EN
    s = "".join(rng.choice(src) + ("" if zh else " ") for _ in range(rng.randint(2, 6)))
    if rng.random() < 0.04:
        n = rng.randint(1, 250)
        s += rng.choice(SPICE).format(n=n, a=rng.randint(1, 250), b=rng.randint(1, 250),
                                      c=rng.randint(1, 250))
    return s + "\n\n"


def document(target):
    parts = ["# " + rng.choice(["关于某产品安全更新的公告", "Security advisory", "漏洞分析", "Weekly news"]) + "\n\n"]
    size = len(parts[0].encode())
    while size < target:
        if rng.random() < 0.12:
            h = rng.choice(HEAD_ZH + HEAD_EN)
            p = "## " + h + "\n\n"
        elif rng.random() < 0.08:
            p = rng.choice(CODE) + "\n"
        else:
            p = paragraph()
        parts.append(p)
        size += len(p.encode())
    return "".join(parts)


n = total_mb
for i in range(n):
    with open(os.path.join(out, "doc-%04d.md" % i), "w", encoding="utf-8") as f:
        f.write(document(1 << 20))
print("wrote %d files of about 1 MiB to %s" % (n, out))
