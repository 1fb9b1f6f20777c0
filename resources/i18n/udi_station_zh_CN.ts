<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdminScreen</name>
    <message>
        <source>Administration</source>
        <translation>系统管理</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Label templates</source>
        <translation>标签模板</translation>
    </message>
    <message>
        <source>Devices and printers</source>
        <translation>设备和打印机</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Needs the right to manage users.</source>
        <translation>需要管理用户的权限。</translation>
    </message>
    <message>
        <source>Needs the right to edit or approve label templates.</source>
        <translation>需要编辑或批准标签模板的权限。</translation>
    </message>
    <message>
        <source>Needs the right to change station settings.</source>
        <translation>需要更改工作站设置的权限。</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>Sign in to use this screen.</source>
        <translation>请登录后使用此界面。</translation>
    </message>
    <message>
        <source>Signed in as {user}. Greyed-out tabs need a right you do not hold.</source>
        <translation>当前登录：{user}。灰色的选项卡需要您没有的权限。</translation>
    </message>
    <message>
        <source>Scans are used here only for badges, on the Users tab.</source>
        <translation>此处扫描仅用于工牌，且仅在“用户”选项卡上。</translation>
    </message>
</context>
<context>
    <name>AffectedModel</name>
    <message>
        <source>Serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Case/pallet</source>
        <translation>箱/托盘</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>标识</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <source>Ledger not verified yet</source>
        <translation>账本尚未验证</translation>
    </message>
    <message>
        <source>&amp;Verify the ledger</source>
        <translation>验证账本(&amp;V)</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>起始(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>截止(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Apply filter</source>
        <translation>应用筛选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>导出 CSV(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>用户(&amp;U)：</translation>
    </message>
    <message>
        <source>Ac&amp;tion:</source>
        <translation>操作(&amp;T)：</translation>
    </message>
    <message>
        <source>E&amp;ntity:</source>
        <translation>对象(&amp;N)：</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>文本(&amp;X)：</translation>
    </message>
    <message>
        <source>{total} entries</source>
        <translation>{total} 条记录</translation>
    </message>
    <message>
        <source>Newest {shown} of {total} entries</source>
        <translation>共 {total} 条记录，显示最新 {shown} 条</translation>
    </message>
    <message>
        <source>Verifying the ledger…</source>
        <translation>正在验证账本…</translation>
    </message>
    <message>
        <source>{events} events, {audit} audit entries, {checkpoints} checkpoints</source>
        <translation>{events} 个事件，{audit} 条审计记录，{checkpoints} 个检查点</translation>
    </message>
    <message>
        <source>Checkpoint signatures not checked: no trusted public key was given.</source>
        <translation>未检查检查点签名：未提供受信任的公钥。</translation>
    </message>
    <message>
        <source>Ledger intact</source>
        <translation>账本完好</translation>
    </message>
    <message>
        <source>First bad record: {first}</source>
        <translation>第一条错误记录：{first}</translation>
    </message>
    <message>
        <source>{n} problems found.</source>
        <translation>发现 {n} 个问题。</translation>
    </message>
    <message>
        <source>LEDGER TAMPERED</source>
        <translation>账本被篡改</translation>
    </message>
    <message>
        <source>Ledger tampered</source>
        <translation>账本被篡改</translation>
    </message>
    <message>
        <source>Verification failed</source>
        <translation>验证失败</translation>
    </message>
    <message>
        <source>Export the audit trail</source>
        <translation>导出审计追踪</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Writing the export…</source>
        <translation>正在写入导出文件…</translation>
    </message>
    <message>
        <source>Exported: {path} ({where})</source>
        <translation>已导出：{path}（{where}）</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <source>Nothing exported: {error}</source>
        <translation>未导出任何内容：{error}</translation>
    </message>
    <message>
        <source>Nothing exported</source>
        <translation>未导出任何内容</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Seq</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Entity</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Old → new</source>
        <translation>旧值 → 新值</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>站点</translation>
    </message>
    <message>
        <source>Old value</source>
        <translation>旧值</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
</context>
<context>
    <name>CameraPanel</name>
    <message>
        <source>Hold a label under the simulated camera:</source>
        <extracomment>How long a label the demo &quot;holds&quot; stays under the camera. A slight tilt and blur, so the demo shows a realistic read rather than a perfect image.</extracomment>
        <translation>在模拟摄像头下放一张标签：</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <source>No camera image</source>
        <translation>无摄像头图像</translation>
    </message>
    <message>
        <source>Camera preview</source>
        <translation>摄像头预览</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已播放完毕</translation>
    </message>
    <message>
        <source>Camera: {state}</source>
        <translation>摄像头：{state}</translation>
    </message>
    <message>
        <source>{fps} fps · decode {ms} ms · {dropped} dropped</source>
        <translation>{fps} 帧/秒 · 解码 {ms} 毫秒 · 丢弃 {dropped} 帧</translation>
    </message>
</context>
<context>
    <name>CheckpointForm</name>
    <message>
        <source>Checkpoint</source>
        <translation>检验项</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>规格限</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Judgement</source>
        <translation>判定</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>number</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文字</translation>
    </message>
</context>
<context>
    <name>CodeLookup</name>
    <message>
        <source>Not signed in</source>
        <extracomment>A screen&apos;s read: (connection, the signed-in user&apos;s context, the code) → its answer.</extracomment>
        <translation>未登录</translation>
    </message>
</context>
<context>
    <name>CountsModel</name>
    <message>
        <source>Units</source>
        <translation>单品数</translation>
    </message>
</context>
<context>
    <name>DeviceStatus</name>
    <message>
        <source>Camera {name}</source>
        <extracomment>state → colour of the dot (green, amber, red, grey for stopped or unknown).</extracomment>
        <translation>摄像头 {name}</translation>
    </message>
    <message>
        <source>Scanner {name}</source>
        <translation>扫描枪 {name}</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>disconnected – retrying</source>
        <translation>已断开 – 正在重试</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>finished (end of the video)</source>
        <translation>已结束（视频播放完毕）</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>最近的错误：{error}</translation>
    </message>
</context>
<context>
    <name>DevicesTab</name>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Resolution (dpi)</source>
        <translation>分辨率 (dpi)</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>&amp;Test print (calibration label)</source>
        <translation>测试打印（校准标签）(&amp;T)</translation>
    </message>
    <message>
        <source>R&amp;efresh</source>
        <translation>刷新(&amp;E)</translation>
    </message>
    <message>
        <source>Label width</source>
        <translation>标签宽度</translation>
    </message>
    <message>
        <source>height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>As the station runs now.</source>
        <translation>工作站当前运行的设置。</translation>
    </message>
    <message>
        <source>The settings file cannot be read: {error}</source>
        <translation>无法读取设置文件：{error}</translation>
    </message>
    <message>
        <source>From the settings file {file} (a restart applies changes).</source>
        <translation>来自设置文件 {file}（重启后更改生效）。</translation>
    </message>
    <message>
        <source>The settings are not known here: the defaults are shown.</source>
        <translation>此处不知道设置：显示的是默认值。</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>扫描器</translation>
    </message>
    <message>
        <source>{port}, {baud} baud, end of scan {end}</source>
        <translation>{port}，{baud} 波特，扫描结束符 {end}</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>keys at most {gap} ms apart, at least {length} keys, ended by {end}</source>
        <translation>按键间隔不超过 {gap} 毫秒，至少 {length} 个按键，以 {end} 结束</translation>
    </message>
    <message>
        <source>Keyboard wedge</source>
        <translation>键盘楔形扫描器</translation>
    </message>
    <message>
        <source>Scanner {name}</source>
        <translation>扫描器 {name}</translation>
    </message>
    <message>
        <source>state unknown</source>
        <translation>状态未知</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{kind} {source}, {width}×{height}, reads {formats}</source>
        <translation>{kind} {source}，{width}×{height}，读取 {formats}</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Camera {name}</source>
        <translation>摄像头 {name}</translation>
    </message>
    <message>
        <source>No printer is configured on this station.</source>
        <translation>此工作站未配置打印机。</translation>
    </message>
    <message>
        <source>A test print needs the right to change station settings.</source>
        <translation>测试打印需要更改工作站设置的权限。</translation>
    </message>
    <message>
        <source>Sending the calibration label to {name}…</source>
        <translation>正在向 {name} 发送校准标签…</translation>
    </message>
    <message>
        <source>Calibration label sent to {name}: measure the square and the rulers.</source>
        <translation>校准标签已发送到 {name}：请测量正方形和标尺。</translation>
    </message>
    <message>
        <source>Test print failed: {error}</source>
        <translation>测试打印失败：{error}</translation>
    </message>
</context>
<context>
    <name>DiagnosticsDialog</name>
    <message>
        <source>Diagnostics</source>
        <translation>诊断</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>库</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Used for</source>
        <translation>用途</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>zbar (pyzbar) is not available. The station works without it: zxing-cpp, the main decoder, reads every code. pyzbar is only a second opinion for 1D and QR codes.</source>
        <translation>zbar（pyzbar）不可用。扫描站无需它也能正常工作：主解码器 zxing-cpp 可读取所有条码。pyzbar 仅作为一维码和二维码（QR）的辅助解码器。</translation>
    </message>
    <message>
        <source>Scanner test …</source>
        <translation>扫码枪测试 …</translation>
    </message>
    <message>
        <source>Scan the printed test sheet to find scanner setup problems</source>
        <translation>扫描打印的测试表，找出扫码枪的设置问题</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>MISSING — required</source>
        <translation>缺失——必需</translation>
    </message>
    <message>
        <source>not available — optional, the station works without it</source>
        <translation>不可用——可选，扫描站无需它也能工作</translation>
    </message>
</context>
<context>
    <name>DiagnosticsIndicator</name>
    <message>
        <source>✖ Libraries: {count} required missing</source>
        <translation>✖ 程序库：缺少 {count} 个必需库</translation>
    </message>
    <message>
        <source>● Libraries: OK ({count} optional not available)</source>
        <translation>● 程序库：正常（{count} 个可选库不可用）</translation>
    </message>
    <message>
        <source>✔ Libraries: OK</source>
        <translation>✔ 程序库：正常</translation>
    </message>
    <message>
        <source>Show diagnostics</source>
        <translation>显示诊断信息</translation>
    </message>
</context>
<context>
    <name>ElementTableModel</name>
    <message>
        <source>Key</source>
        <translation>标识符</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Interpretation</source>
        <translation>解读</translation>
    </message>
</context>
<context>
    <name>FloorScreen</name>
    <message>
        <source>Confirm typed code</source>
        <extracomment>The source of codes typed into a screen&apos;s entry line (always manual entry). Longest text taken as an order number; the reader&apos;s issue for a text that is no UDI. Longest scan text quoted in a banner. A code behind an event: its text as read and how it was entered (``scanned``/``manual``). A typed code waiting for confirmation: (scan, reading).</extracomment>
        <translation>确认手输代码</translation>
    </message>
    <message>
        <source>Discard (Esc)</source>
        <translation>放弃 (Esc)</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>代码(&amp;C)：</translation>
    </message>
    <message>
        <source>Scan a code</source>
        <extracomment>Bumped when the session changes: write answers of an older session are not shown.</extracomment>
        <translation>请扫描代码</translation>
    </message>
    <message>
        <source>Typed code — check it against the label</source>
        <translation>手输代码 — 请与标签核对</translation>
    </message>
    <message>
        <source>{code}
Enter confirms it, Esc discards it.</source>
        <translation>{code}
按 Enter 确认，按 Esc 放弃。</translation>
    </message>
    <message>
        <source>Typed code discarded — scan again</source>
        <translation>已放弃手输代码 — 请重新扫描</translation>
    </message>
    <message>
        <source>Not a valid code</source>
        <translation>不是有效代码</translation>
    </message>
    <message>
        <source>Unknown product</source>
        <translation>未知产品</translation>
    </message>
    <message>
        <source>Unknown order</source>
        <translation>未知订单</translation>
    </message>
    <message>
        <source>Order is not open</source>
        <translation>订单未开放</translation>
    </message>
    <message>
        <source>Wrong product for this order</source>
        <translation>产品不在此订单上</translation>
    </message>
    <message>
        <source>Supplier not qualified</source>
        <translation>供应商不合格</translation>
    </message>
    <message>
        <source>Supplier qualification lapsed</source>
        <translation>供应商资质已过期</translation>
    </message>
    <message>
        <source>Supplier only conditionally qualified</source>
        <translation>供应商仅有条件合格</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Serial number required</source>
        <translation>需要序列号</translation>
    </message>
    <message>
        <source>Lot number required</source>
        <translation>需要批号</translation>
    </message>
    <message>
        <source>Wrong quantity</source>
        <translation>数量不正确</translation>
    </message>
    <message>
        <source>Implausible date</source>
        <translation>日期不合理</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Not known at this station</source>
        <translation>本站无此记录</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>A reason is required</source>
        <translation>需要填写原因</translation>
    </message>
    <message>
        <source>Listed already, or nothing listed</source>
        <translation>已在清单中，或清单为空</translation>
    </message>
    <message>
        <source>Not allowed in its current state</source>
        <translation>当前状态不允许此操作</translation>
    </message>
    <message>
        <source>Not commissioned</source>
        <translation>未赋码</translation>
    </message>
    <message>
        <source>Already packed elsewhere</source>
        <translation>已装入其他包装</translation>
    </message>
    <message>
        <source>Not in this container</source>
        <translation>不在此包装内</translation>
    </message>
    <message>
        <source>Packed in a container</source>
        <translation>已装在包装内</translation>
    </message>
    <message>
        <source>Not a valid SSCC</source>
        <translation>不是有效的 SSCC</translation>
    </message>
    <message>
        <source>Not released for shipping</source>
        <translation>未放行，不能发货</translation>
    </message>
    <message>
        <source>Wrong lot for this container</source>
        <translation>批号与此包装不符</translation>
    </message>
    <message>
        <source>Container full</source>
        <translation>包装已满</translation>
    </message>
    <message>
        <source>Station not configured</source>
        <translation>扫描站未配置</translation>
    </message>
    <message>
        <source>SSCC prefix or block not usable</source>
        <translation>SSCC 前缀或号段不可用</translation>
    </message>
    <message>
        <source>SSCC block used up</source>
        <translation>SSCC 号段已用完</translation>
    </message>
    <message>
        <source>REFUSED — {what}</source>
        <translation>拒绝 — {what}</translation>
    </message>
    <message>
        <source>Could not read the database</source>
        <translation>无法读取数据库</translation>
    </message>
    <message>
        <source>Sign in first</source>
        <translation>请先登录</translation>
    </message>
    <message>
        <source>REFUSED — not permitted</source>
        <translation>拒绝 — 无权限</translation>
    </message>
    <message>
        <source>Signed out — sign in again</source>
        <translation>已退出登录 — 请重新登录</translation>
    </message>
    <message>
        <source>NOT recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Printing is not configured on this station.</source>
        <translation>本站未配置打印。</translation>
    </message>
    <message>
        <source>The template {name} is not approved for printing.</source>
        <translation>模板 {name} 未批准用于打印。</translation>
    </message>
</context>
<context>
    <name>GenealogyModel</name>
    <message>
        <source>Genealogy</source>
        <translation>谱系</translation>
    </message>
    <message>
        <source>Made from (back to the suppliers)</source>
        <translation>原料来源（追溯至供应商）</translation>
    </message>
    <message>
        <source>Made into, packed in, shipped to (forward to the customers)</source>
        <translation>制成、包装、发往（追踪至客户）</translation>
    </message>
    <message>
        <source>Supplier: {name}</source>
        <translation>供应商：{name}</translation>
    </message>
    <message>
        <source>Shipped to {name} on {when}</source>
        <translation>于 {when} 发往 {name}</translation>
    </message>
    <message>
        <source>(shown above)</source>
        <translation>（见上文）</translation>
    </message>
    <message>
        <source>… {n} more</source>
        <translation>… 另有 {n} 项</translation>
    </message>
</context>
<context>
    <name>GoodsInScreen</name>
    <message>
        <source>Scan the purchase order, then the supplier label</source>
        <translation>先扫描采购订单，再扫描供应商标签</translation>
    </message>
    <message>
        <source>Goods-in</source>
        <translation>来料</translation>
    </message>
    <message>
        <source>&amp;Purchase order:</source>
        <translation>采购订单(&amp;P)：</translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="vanished">行</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation type="vanished">订购</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已收</translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="vanished">未结</translation>
    </message>
    <message>
        <source>Why it may be received anyway (required)</source>
        <translation>仍可接收的理由（必填）</translation>
    </message>
    <message>
        <source>&amp;Receive</source>
        <translation>接收(&amp;R)</translation>
    </message>
    <message>
        <source>Print &amp;internal labels…</source>
        <translation>打印内部标签(&amp;I)…</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>失效日期</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>PO line</source>
        <translation>订单行</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>录入方式</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>数量(&amp;Q)：</translation>
    </message>
    <message>
        <source>O&amp;verride reason:</source>
        <translation>放行理由(&amp;V)：</translation>
    </message>
    <message>
        <source>Checks</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>— choose or scan a PO —</source>
        <translation>— 选择或扫描采购订单 —</translation>
    </message>
    <message>
        <source>PO {po}: scan the supplier label</source>
        <translation type="vanished">采购订单 {po}：请扫描供应商标签</translation>
    </message>
    <message>
        <source>Choose the purchase order first</source>
        <translation>请先选择采购订单</translation>
    </message>
    <message>
        <source>PO {number}: scan the supplier label</source>
        <translation>采购订单 {number}：请扫描供应商标签</translation>
    </message>
    <message>
        <source>typed by hand, confirmed</source>
        <translation>手工输入，已确认</translation>
    </message>
    <message>
        <source>scanned</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>line {n}: {open} of {ordered} open</source>
        <translation>第 {n} 行：订购 {ordered}，未结 {open}</translation>
    </message>
    <message>
        <source> (may be overridden with a reason)</source>
        <translation>（可填写理由后放行）</translation>
    </message>
    <message>
        <source>✔ Every check passed</source>
        <translation>✔ 全部检查通过</translation>
    </message>
    <message>
        <source>OVERRIDE NEEDED — {what}</source>
        <translation>需要放行理由 — {what}</translation>
    </message>
    <message>
        <source>Type the reason, then Receive.</source>
        <translation>填写理由，然后接收。</translation>
    </message>
    <message>
        <source>Checks passed — check the quantity, then Receive</source>
        <translation>检查通过 — 核对数量后接收</translation>
    </message>
    <message>
        <source>RECEIVED — recorded</source>
        <translation>已接收 — 已记录</translation>
    </message>
    <message>
        <source>{qty} on line {line} of {po} ({what})</source>
        <translation>{po} 第 {line} 行：{qty}（{what}）</translation>
    </message>
    <message>
        <source>Receive something first, then print its labels.</source>
        <translation>请先接收物料，再打印其标签。</translation>
    </message>
</context>
<context>
    <name>HoldDialog</name>
    <message>
        <source>Place recall holds</source>
        <translation>设置召回冻结</translation>
    </message>
    <message>
        <source>Put {n} affected units and lots still in our hands on recall hold?
Recall of: {code}</source>
        <translation>将仍在本方手中的 {n} 个受影响单品和批次设为召回冻结？
召回对象：{code}</translation>
    </message>
    <message>
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Place holds</source>
        <translation>冻结</translation>
    </message>
</context>
<context>
    <name>IdentifyView</name>
    <message>
        <source>Read</source>
        <extracomment>Emitted after a reading is on screen, with the ParsedCode.</extracomment>
        <translation>识别</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>条码(&amp;C)：</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>编码体系</translation>
    </message>
    <message>
        <source>Symbology</source>
        <translation>码制</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Elements</source>
        <translation>数据元素</translation>
    </message>
    <message>
        <source>Errors and warnings</source>
        <translation>错误与警告</translation>
    </message>
    <message>
        <source>{scheme} — errors: {errors}, warnings: {warnings}</source>
        <translation>{scheme}——错误：{errors}，警告：{warnings}</translation>
    </message>
    <message>
        <source>none sent</source>
        <translation>未发送</translation>
    </message>
</context>
<context>
    <name>IssueList</name>
    <message>
        <source>No errors or warnings.</source>
        <translation>没有错误或警告。</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
</context>
<context>
    <name>JudgementLabel</name>
    <message>
        <source>not entered</source>
        <extracomment>(symbol, colour) per judgement; the word is translated in ``JudgementLabel``.</extracomment>
        <translation>未输入</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>不是数字</translation>
    </message>
    <message>
        <source>in spec</source>
        <translation>符合规格</translation>
    </message>
    <message>
        <source>OUT OF SPEC</source>
        <translation>超出规格</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>noted</source>
        <translation>已记录</translation>
    </message>
</context>
<context>
    <name>KeyFields</name>
    <message>
        <source>DI / GTIN</source>
        <extracomment>Field id → (row, column) of its caption: identifiers on the left, dates and count on the right.</extracomment>
        <translation>DI / GTIN</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>失效日期</translation>
    </message>
    <message>
        <source>Production date</source>
        <translation>生产日期</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>SSCC</translation>
    </message>
</context>
<context>
    <name>LabelPrintDialog</name>
    <message>
        <source>Print labels</source>
        <extracomment>Data keys the station fills itself (the dialog never asks for them). How often the GUI thread picks up the workers&apos; news (progress, results), ms.</extracomment>
        <translation>打印标签</translation>
    </message>
    <message>
        <source>Read back with the camera</source>
        <extracomment>Who prints the job being planned or run (the signed-in user at the click).</extracomment>
        <translation>用相机回读</translation>
    </message>
    <message>
        <source>Opening the label store…</source>
        <translation>正在打开标签数据库…</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Copies</source>
        <translation>份数</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>No template is approved for printing.</source>
        <translation>没有已批准用于打印的模板。</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>The label store did not open.</source>
        <translation>标签数据库未能打开。</translation>
    </message>
    <message>
        <source>GTIN</source>
        <translation>GTIN</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Expiry date (YYYY-MM-DD)</source>
        <translation>失效日期 (YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>Production date (YYYY-MM-DD)</source>
        <translation>生产日期 (YYYY-MM-DD)</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>SSCC</translation>
    </message>
    <message>
        <source>GTIN of the content</source>
        <translation>内装物 GTIN</translation>
    </message>
    <message>
        <source>Count of trade items</source>
        <translation>贸易项目数量</translation>
    </message>
    <message>
        <source>Product name (Chinese)</source>
        <translation>产品名称（中文）</translation>
    </message>
    <message>
        <source>Product name (English)</source>
        <translation>产品名称（英文）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <source>Registration number</source>
        <translation>注册证编号</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Purchase order</source>
        <translation>采购订单</translation>
    </message>
    <message>
        <source>HIBC labeler code</source>
        <translation>HIBC 标签商代码</translation>
    </message>
    <message>
        <source>HIBC product code</source>
        <translation>HIBC 产品代码</translation>
    </message>
    <message>
        <source>HIBC unit of measure</source>
        <translation>HIBC 计量单位</translation>
    </message>
    <message>
        <source>{field} *</source>
        <translation>{field} *</translation>
    </message>
    <message>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>* required. Serials are allocated by the station, one per label.</source>
        <translation>* 为必填项。序列号由扫描站分配，每张标签一个。</translation>
    </message>
    <message>
        <source>* required.</source>
        <translation>* 为必填项。</translation>
    </message>
    <message>
        <source>The data cannot be printed: {reason}</source>
        <translation>数据无法打印：{reason}</translation>
    </message>
    <message>
        <source>Planning the job…</source>
        <translation>正在计划打印任务…</translation>
    </message>
    <message>
        <source>Job planned; rendering…</source>
        <translation>任务已计划，正在生成…</translation>
    </message>
    <message>
        <source>Nothing printed.</source>
        <translation>未打印任何内容。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Rendering {total} label(s)…</source>
        <translation>正在生成 {total} 张标签…</translation>
    </message>
    <message>
        <source>Sending {total} label(s) to the printer…</source>
        <translation>正在向打印机发送 {total} 张标签…</translation>
    </message>
    <message>
        <source>Sent {total} label(s) to the printer.</source>
        <translation>已向打印机发送 {total} 张标签。</translation>
    </message>
    <message>
        <source>Hold label {n} of {total} under the camera…</source>
        <translation>请将第 {n} 张标签（共 {total} 张）放到相机下…</translation>
    </message>
    <message>
        <source>Reading label {n} of {total} back…</source>
        <translation>正在回读第 {n} 张标签（共 {total} 张）…</translation>
    </message>
    <message>
        <source>Read back {done} of {total} label(s).</source>
        <translation>已回读 {done} / {total} 张标签。</translation>
    </message>
    <message>
        <source>Not recorded as printed, but the labels may have printed: check the printer and the labels before reprinting. {detail}</source>
        <translation>未记录为已打印，但标签可能已经打印：重新打印前请检查打印机和标签。{detail}</translation>
    </message>
    <message>
        <source>Not printed: {detail}</source>
        <translation>未打印：{detail}</translation>
    </message>
    <message>
        <source>The read-back stopped: {error}</source>
        <translation>回读已停止：{error}</translation>
    </message>
    <message>
        <source>{failed} label(s) failed the read-back. The printer takes no new job until they are reprinted and read back correctly.</source>
        <translation>{failed} 张标签回读失败。在这些标签重新打印并正确回读之前，该打印机不接受新任务。</translation>
    </message>
    <message>
        <source>Cancelled before sending: nothing was printed.</source>
        <translation>发送前已取消：未打印任何内容。</translation>
    </message>
    <message>
        <source>Job {job}: not printed.</source>
        <translation>任务 {job}：未打印。</translation>
    </message>
    <message>
        <source>Job {job}: {n} label(s) sent.</source>
        <translation>任务 {job}：已发送 {n} 张标签。</translation>
    </message>
    <message>
        <source>Serials {first} … {last} commissioned.</source>
        <translation>序列号 {first} … {last} 已赋码启用。</translation>
    </message>
    <message>
        <source>Read-back cancelled: {n} label(s) not read back.</source>
        <translation>回读已取消：{n} 张标签未回读。</translation>
    </message>
    <message>
        <source>Every label read back as recorded.</source>
        <translation>每张标签的回读结果均与记录一致。</translation>
    </message>
    <message>
        <source>The print run stopped with an error.</source>
        <translation>打印过程因错误而停止。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>UDI Station — Identify</source>
        <translation>追溯码扫描站——识别</translation>
    </message>
    <message>
        <source>&amp;Station</source>
        <translation>扫描站(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Diagnostics…</source>
        <translation>诊断(&amp;D)…</translation>
    </message>
    <message>
        <source>Simulated scanner</source>
        <translation>模拟扫描枪</translation>
    </message>
    <message>
        <source>&amp;Identify</source>
        <extracomment>The role screens&apos; specs by id, in navigation order after Identify; the screens themselves are made when first shown (``built``), or on access through ``screens``. Which screens the signed-in user may open (``None``: Identify, anyone signed in); without a session guard (no workstation) everything the window has is open. Looked at first for every scan; one returning True has consumed it (badges).</extracomment>
        <translation>识别(&amp;I)</translation>
    </message>
    <message>
        <source>Identify</source>
        <translation>识别</translation>
    </message>
    <message>
        <source>UDI Station — {screen}</source>
        <translation>UDI 追溯码扫描站 — {screen}</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>&amp;Print labels…</source>
        <translation>打印标签(&amp;P)…</translation>
    </message>
    <message>
        <source>S&amp;ync with the ERP…</source>
        <translation>与 ERP 同步(&amp;Y)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
</context>
<context>
    <name>OrderScreen</name>
    <message>
        <source>Line</source>
        <extracomment>Table rows shown before the table scrolls. Shown on an item code while no order is chosen: &quot;Choose the purchase order first&quot;. Shown when an order was chosen, ``{number}`` its number: &quot;PO {number}: scan …&quot;. The screen&apos;s own column titles, after the shared ones. The chosen order and its lines (None / empty: none chosen). ``po`` (goods-in) or ``so`` (shipping).</extracomment>
        <translation>行</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation>订购</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>未结</translation>
    </message>
</context>
<context>
    <name>OutcomeBanner</name>
    <message>
        <source>READY — scan</source>
        <extracomment>(symbol, background, text colour); WCAG AA contrast with their text.</extracomment>
        <translation>就绪 — 请扫描</translation>
    </message>
</context>
<context>
    <name>PackingScreen</name>
    <message>
        <source>Packing</source>
        <extracomment>Default targets: units per case, cases per pallet. The new container being filled (not recorded yet), and what was scanned into it. How the open container&apos;s SSCC was entered (None: allocated here, not entered). A recorded container on show (for unpacking), and how its SSCC was entered. Scans that arrived while a container was being looked up: taken once it is open.</extracomment>
        <translation>包装</translation>
    </message>
    <message>
        <source>Case (units into a case)</source>
        <translation>箱（单品装箱）</translation>
    </message>
    <message>
        <source>Pallet (cases onto a pallet)</source>
        <translation>托盘（箱上托盘）</translation>
    </message>
    <message>
        <source>One &amp;lot per container</source>
        <translation>每个包装仅一个批号(&amp;L)</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Serial / SSCC</source>
        <translation>序列号 / SSCC</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>录入方式</translation>
    </message>
    <message>
        <source>Why the container is opened (required)</source>
        <translation>拆开包装的原因（必填）</translation>
    </message>
    <message>
        <source>&amp;New SSCC</source>
        <translation>新 SSCC(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Close container</source>
        <translation>封箱(&amp;C)</translation>
    </message>
    <message>
        <source>Remove &amp;last</source>
        <translation>移除最后一件(&amp;L)</translation>
    </message>
    <message>
        <source>Cance&amp;l container</source>
        <translation>取消包装(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Unpack</source>
        <translation>拆包(&amp;U)</translation>
    </message>
    <message>
        <source>Print &amp;SSCC label…</source>
        <translation>打印 SSCC 标签(&amp;S)…</translation>
    </message>
    <message>
        <source>Print unit labels…</source>
        <translation>打印单品标签…</translation>
    </message>
    <message>
        <source>&amp;Packing:</source>
        <translation>包装级别(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>目标数量(&amp;T)：</translation>
    </message>
    <message>
        <source>Container (SSCC)</source>
        <translation>包装 (SSCC)</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>原因(&amp;R)：</translation>
    </message>
    <message>
        <source>{sscc} (new)</source>
        <translation>{sscc}（新）</translation>
    </message>
    <message>
        <source>{sscc} (recorded, {state})</source>
        <translation>{sscc}（已记录，{state}）</translation>
    </message>
    <message>
        <source>none — scan an SSCC label or press New SSCC</source>
        <translation>无 — 扫描 SSCC 标签或按“新 SSCC”</translation>
    </message>
    <message>
        <source>This container is open — scan its content, then Close</source>
        <translation>此包装已打开 — 扫描内容后封箱</translation>
    </message>
    <message>
        <source>Open a container first</source>
        <translation>请先打开一个包装</translation>
    </message>
    <message>
        <source>Scan its SSCC label or press New SSCC.</source>
        <translation>扫描其 SSCC 标签或按“新 SSCC”。</translation>
    </message>
    <message>
        <source>Container {sscc}: {n} item(s) inside</source>
        <translation>包装 {sscc}：内有 {n} 件</translation>
    </message>
    <message>
        <source>To unpack: select items (none: all), type the reason, press Unpack.</source>
        <translation>拆包：选择物品（不选即全部），填写原因，按“拆包”。</translation>
    </message>
    <message>
        <source>Container {sscc} open — scan what goes in</source>
        <translation>包装 {sscc} 已打开 — 扫描要装入的物品</translation>
    </message>
    <message>
        <source>No SSCC prefix is configured: scan a pre-printed SSCC label.</source>
        <translation>未配置 SSCC 前缀：请扫描预印的 SSCC 标签。</translation>
    </message>
    <message>
        <source>Close or cancel the open container first</source>
        <translation>请先封箱或取消当前包装</translation>
    </message>
    <message>
        <source>FULL — {n} / {target}: press Close</source>
        <translation>已满 — {n} / {target}：请封箱</translation>
    </message>
    <message>
        <source>PACKED {n} / {target}</source>
        <translation>已装 {n} / {target}</translation>
    </message>
    <message>
        <source>typed, confirmed</source>
        <translation>手输，已确认</translation>
    </message>
    <message>
        <source>scanned</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Removed {item}</source>
        <translation>已移除 {item}</translation>
    </message>
    <message>
        <source>READY — scan an SSCC label or press New SSCC</source>
        <translation>就绪 — 扫描 SSCC 标签或按“新 SSCC”</translation>
    </message>
    <message>
        <source>CLOSED — recorded</source>
        <translation>已封箱 — 已记录</translation>
    </message>
    <message>
        <source>{sscc}: {n} item(s) packed</source>
        <translation>{sscc}：已装 {n} 件</translation>
    </message>
    <message>
        <source>UNPACKED — recorded</source>
        <translation>已拆包 — 已记录</translation>
    </message>
    <message>
        <source>{n} item(s) taken out of {sscc}</source>
        <translation>已从 {sscc} 取出 {n} 件</translation>
    </message>
    <message>
        <source>Printing is not configured on this station.</source>
        <translation>本站未配置打印。</translation>
    </message>
</context>
<context>
    <name>QcBenchScreen</name>
    <message>
        <source>READY — scan a lot or unit to inspect</source>
        <extracomment>History lines shown beside the form (newest last). The reason written with a release when none is typed (records are English). Emitted on the GUI thread once a lookup is shown (tests wait for it). Emitted after each write&apos;s outcome is shown: (what, ok) — &quot;record&quot;, &quot;sign&quot;, &quot;release&quot;, &quot;hold&quot;.</extracomment>
        <translation>就绪 — 请扫描要检验的批次或单件</translation>
    </message>
    <message>
        <source>Notes (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Take &amp;photo</source>
        <translation>拍照(&amp;P)</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>记录(&amp;R)</translation>
    </message>
    <message>
        <source>Reason for a hold or release</source>
        <translation>冻结或放行的原因</translation>
    </message>
    <message>
        <source>Re&amp;lease</source>
        <translation>放行(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Hold</source>
        <translation>冻结(&amp;H)</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last inspection</source>
        <translation>上次检验</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>检验方案</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>History</source>
        <translation>履历</translation>
    </message>
    <message>
        <source>QC bench</source>
        <translation>质检台</translation>
    </message>
    <message>
        <source>No camera at this station: no photo can be taken.</source>
        <translation>本站没有摄像头：无法拍照。</translation>
    </message>
    <message>
        <source>The camera has no picture yet: try again.</source>
        <translation>摄像头还没有画面：请重试。</translation>
    </message>
    <message>
        <source>The camera gave no PNG or JPEG image under 5 MB: try again.</source>
        <translation>摄像头没有给出 5 MB 以内的 PNG 或 JPEG 图像：请重试。</translation>
    </message>
    <message>
        <source>Photo taken, SHA-256 %1…</source>
        <translation>已拍照，SHA-256 %1…</translation>
    </message>
    <message>
        <source>Could not read the record: %1</source>
        <translation>无法读取记录：%1</translation>
    </message>
    <message>
        <source>Nothing recorded for %1: scan a lot or unit that was received.</source>
        <translation>%1 没有任何记录：请扫描已收货的批次或单件。</translation>
    </message>
    <message>
        <source>ON HOLD</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>not on hold</source>
        <translation>未冻结</translation>
    </message>
    <message>
        <source>Enter the results, then Record</source>
        <translation>请输入结果，然后记录</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <source>pass</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>(declared in error)</source>
        <translation>（已声明为错误）</translation>
    </message>
    <message>
        <source>— choose a plan —</source>
        <translation>— 请选择检验方案 —</translation>
    </message>
    <message>
        <source>… Incomplete: %1</source>
        <translation>… 未填完：%1</translation>
    </message>
    <message>
        <source>on the inspector&apos;s judgement</source>
        <translation>检验员判定</translation>
    </message>
    <message>
        <source>✖ FAIL — %1</source>
        <translation>✖ 不合格 — %1</translation>
    </message>
    <message>
        <source>✔ PASS</source>
        <translation>✔ 合格</translation>
    </message>
    <message>
        <source>Sign in first: nobody is signed in at this station.</source>
        <translation>请先登录：本站当前无人登录。</translation>
    </message>
    <message>
        <source>The session has ended: sign in again. Nothing was recorded.</source>
        <translation>会话已结束：请重新登录。未记录任何内容。</translation>
    </message>
    <message>
        <source>The station could not record this: %1</source>
        <translation>本站无法记录：%1</translation>
    </message>
    <message>
        <source>Scan a lot or unit and choose its plan first.</source>
        <translation>请先扫描批次或单件并选择检验方案。</translation>
    </message>
    <message>
        <source>Every checkpoint needs a result before recording.</source>
        <translation>记录前每个检验项都需要结果。</translation>
    </message>
    <message>
        <source>A checkpoint is out of spec: the verdict must be Fail.</source>
        <translation>有检验项超出规格：结论必须为不合格。</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>Inspection recorded: %1</source>
        <translation>检验已记录：%1</translation>
    </message>
    <message>
        <source>Sign it now.</source>
        <translation>请立即签名。</translation>
    </message>
    <message>
        <source>Inspection recorded</source>
        <translation>检验已记录</translation>
    </message>
    <message>
        <source>Inspection record</source>
        <translation>检验记录</translation>
    </message>
    <message>
        <source>Inspection of %1</source>
        <translation>%1 的检验</translation>
    </message>
    <message>
        <source>Released and signed</source>
        <translation>已放行并签名</translation>
    </message>
    <message>
        <source>Inspection signed</source>
        <translation>检验已签名</translation>
    </message>
    <message>
        <source>Not signed</source>
        <translation>未签名</translation>
    </message>
    <message>
        <source>Nothing to release: scan an inspected lot or unit.</source>
        <translation>没有可放行的内容：请扫描已检验的批次或单件。</translation>
    </message>
    <message>
        <source>Four eyes: you recorded this inspection, so another person must release it.</source>
        <translation>双人复核：此检验由您记录，必须由另一人放行。</translation>
    </message>
    <message>
        <source>Scan a lot or unit first.</source>
        <translation>请先扫描批次或单件。</translation>
    </message>
    <message>
        <source>Type the reason for the hold first.</source>
        <translation>请先输入冻结原因。</translation>
    </message>
    <message>
        <source>Put on hold</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
</context>
<context>
    <name>RawScanView</name>
    <message>
        <source>Scan as received (⟨GS⟩ ⟨RS⟩ ⟨EOT⟩ mark separators)</source>
        <translation>扫描原始内容（⟨GS⟩ ⟨RS⟩ ⟨EOT⟩ 表示分隔符）</translation>
    </message>
    <message>
        <source>Bytes (hex)</source>
        <translation>字节（十六进制）</translation>
    </message>
</context>
<context>
    <name>RecallScreen</name>
    <message>
        <source>Recall</source>
        <translation>召回</translation>
    </message>
    <message>
        <source>&amp;Recall</source>
        <translation>召回(&amp;R)</translation>
    </message>
    <message>
        <source>Scan, type or choose a lot or supplier lot</source>
        <translation>扫描、输入或选择批次或供应商批次</translation>
    </message>
    <message>
        <source>Mock recall: not started</source>
        <translation>模拟召回：未开始</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Place &amp;holds…</source>
        <translation>冻结(&amp;H)…</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation type="vanished">导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation type="vanished">导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Lot:</source>
        <translation>批次(&amp;L)：</translation>
    </message>
    <message>
        <source>affected units</source>
        <translation>受影响单品</translation>
    </message>
    <message>
        <source>lots</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>cases and pallets</source>
        <translation>箱和托盘</translation>
    </message>
    <message>
        <source>customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>still in our hands</source>
        <translation>仍在本方</translation>
    </message>
    <message>
        <source>By status</source>
        <translation>按状态</translation>
    </message>
    <message>
        <source>By customer</source>
        <translation>按客户</translation>
    </message>
    <message>
        <source>Affected units</source>
        <translation>受影响单品</translation>
    </message>
    <message>
        <source>Recent lo&amp;ts</source>
        <translation>最近批次(&amp;T)</translation>
    </message>
    <message>
        <source>supplier lot</source>
        <translation>供应商批次</translation>
    </message>
    <message>
        <source>lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="vanished">未登录</translation>
    </message>
    <message>
        <source>Locating everything {code} reached…</source>
        <translation>正在定位 {code} 涉及的所有物品…</translation>
    </message>
    <message>
        <source>Recall not possible</source>
        <translation>无法召回</translation>
    </message>
    <message>
        <source>Unknown lot</source>
        <translation>未知批次</translation>
    </message>
    <message>
        <source>Nothing recorded names {code}.</source>
        <translation>没有任何记录涉及 {code}。</translation>
    </message>
    <message>
        <source>{n} units located in {seconds} s</source>
        <translation>{seconds} 秒内定位 {n} 件单品</translation>
    </message>
    <message>
        <source>{n} units affected</source>
        <translation>{n} 件单品受影响</translation>
    </message>
    <message>
        <source>Mock recall: {t}</source>
        <translation>模拟召回：{t}</translation>
    </message>
    <message>
        <source>Mock recall finished in {t}</source>
        <translation>模拟召回用时 {t}</translation>
    </message>
    <message>
        <source>No holds placed</source>
        <translation>未设置冻结</translation>
    </message>
    <message>
        <source>A reason is required.</source>
        <translation>必须填写原因。</translation>
    </message>
    <message>
        <source>Placing recall holds…</source>
        <translation>正在设置召回冻结…</translation>
    </message>
    <message>
        <source>Nothing left to hold.</source>
        <translation>没有可冻结的物品。</translation>
    </message>
    <message>
        <source>Nothing left to hold</source>
        <translation>没有可冻结的物品</translation>
    </message>
    <message>
        <source>Recall hold recorded on {n} items (event {seq}).</source>
        <translation>已记录 {n} 项的召回冻结（事件 {seq}）。</translation>
    </message>
    <message>
        <source>Holds placed</source>
        <translation>已冻结</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="vanished">PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="vanished">CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export the recall report</source>
        <translation>导出召回报告</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation type="vanished">正在写入报告…</translation>
    </message>
    <message>
        <source>Report written: {path} ({where})</source>
        <translation type="vanished">报告已写入：{path}（{where}）</translation>
    </message>
    <message>
        <source>Report written</source>
        <translation type="vanished">报告已写入</translation>
    </message>
    <message>
        <source>Nothing exported: {error}</source>
        <translation type="vanished">未导出任何内容：{error}</translation>
    </message>
    <message>
        <source>Nothing exported</source>
        <translation type="vanished">未导出任何内容</translation>
    </message>
</context>
<context>
    <name>RejectionTableModel</name>
    <message>
        <source>Seq</source>
        <extracomment>Events the demo&apos;s &quot;Record events&quot; button adds to the queue. ``SyncScreen.retried`` outcomes. Rows of the error list read at most.</extracomment>
        <translation>序号</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>事件类型</translation>
    </message>
    <message>
        <source>Business step</source>
        <translation>业务步骤</translation>
    </message>
    <message>
        <source>Event time</source>
        <translation>事件时间</translation>
    </message>
    <message>
        <source>The ERP&apos;s reason</source>
        <translation>ERP 给出的原因</translation>
    </message>
    <message>
        <source>Refused at</source>
        <translation>拒收时间</translation>
    </message>
</context>
<context>
    <name>ReportExport</name>
    <message>
        <source>Export &amp;PDF…</source>
        <translation>导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>正在写入报告…</translation>
    </message>
    <message>
        <source>Report written: {path} ({where})</source>
        <translation>报告已写入：{path}（{where}）</translation>
    </message>
    <message>
        <source>Report written</source>
        <translation>报告已写入</translation>
    </message>
    <message>
        <source>Nothing exported: {error}</source>
        <translation>未导出任何内容：{error}</translation>
    </message>
    <message>
        <source>Nothing exported</source>
        <translation>未导出任何内容</translation>
    </message>
</context>
<context>
    <name>ScanEntry</name>
    <message>
        <source>Scan or type a code here, then press Enter</source>
        <translation>在此扫码或输入条码，然后按回车</translation>
    </message>
</context>
<context>
    <name>ScannerTestPanel</name>
    <message>
        <source>Scanner test</source>
        <extracomment>Finding parameters that are English words (layout names), translated before filling in.</extracomment>
        <translation>扫码枪测试</translation>
    </message>
    <message>
        <source>Print the scanner test sheet (station diagnostics scanner-sheet --out sheet.pdf) and scan its codes one by one. Each scan is compared byte for byte with what a correctly set-up scanner sends.</source>
        <translation>打印扫码枪测试表（station diagnostics scanner-sheet --out sheet.pdf），然后逐个扫描其中的条码。每次扫描都会与正确配置的扫码枪应发送的数据逐字节比较。</translation>
    </message>
    <message>
        <source>not scanned</source>
        <translation>未扫描</translation>
    </message>
    <message>
        <source>Waiting for a scan …</source>
        <translation>等待扫描 …</translation>
    </message>
    <message>
        <source>Start again</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <source>Received (raw):</source>
        <translation>收到的数据（原始）：</translation>
    </message>
    <message>
        <source>Findings for this scan:</source>
        <translation>本次扫描的诊断结果：</translation>
    </message>
    <message>
        <source>Summary:</source>
        <translation>总结：</translation>
    </message>
    <message>
        <source>Last scan: not a code of the test sheet</source>
        <translation>最近一次扫描：不是测试表上的条码</translation>
    </message>
    <message>
        <source>Last scan: code {number}, {title}</source>
        <translation>最近一次扫描：第 {number} 个条码，{title}</translation>
    </message>
    <message>
        <source>✔ correct</source>
        <translation>✔ 正确</translation>
    </message>
    <message>
        <source>✖ see findings</source>
        <translation>✖ 见诊断结果</translation>
    </message>
    <message>
        <source>Fix: {fix}</source>
        <translation>解决方法：{fix}</translation>
    </message>
    <message>
        <source>Seen on code(s) {numbers}</source>
        <translation>出现在第 {numbers} 个条码</translation>
    </message>
</context>
<context>
    <name>SecurityAlarm</name>
    <message>
        <source>&amp;Acknowledge</source>
        <extracomment>How often the bar looks for alarms raised or acknowledged elsewhere.</extracomment>
        <translation>确认警报(&amp;A)</translation>
    </message>
    <message>
        <source>✖  SECURITY ALARM — {count} unacknowledged</source>
        <translation>✖  安全警报 — {count} 条未确认</translation>
    </message>
    <message>
        <source>✖  SECURITY ALARM — user {user} locked out</source>
        <translation>✖  安全警报 — 用户 {user} 已被锁定</translation>
    </message>
    <message>
        <source>✖  SECURITY ALARM — too many failed sign-ins at this station</source>
        <translation>✖  安全警报 — 本工作站登录失败次数过多</translation>
    </message>
    <message>
        <source>{time}  {user} locked after {failures} failed attempts</source>
        <translation>{time}  {user} 连续 {failures} 次验证失败后被锁定</translation>
    </message>
    <message>
        <source>{time}  {failures} failed sign-ins within a minute at {station}</source>
        <translation>{time}  {station} 一分钟内登录失败 {failures} 次</translation>
    </message>
    <message>
        <source>Acknowledge when you have seen to it. An administrator unlocks the user.</source>
        <translation>处理后请确认警报。用户由管理员解锁。</translation>
    </message>
    <message>
        <source>A supervisor, QA manager or administrator signs in and acknowledges this alarm; an administrator unlocks the user.</source>
        <translation>请主管、质量经理或管理员登录并确认此警报；用户由管理员解锁。</translation>
    </message>
    <message>
        <source>{count} security alarm(s) acknowledged</source>
        <translation>已确认 {count} 条安全警报</translation>
    </message>
</context>
<context>
    <name>SessionGuard</name>
    <message>
        <source>&amp;Lock the station</source>
        <translation>锁定工作站(&amp;L)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>UDI Station — Sign in</source>
        <translation>UDI 追溯码扫描站 — 登录</translation>
    </message>
    <message>
        <source>LOCKED — sign in again</source>
        <translation>已锁定 — 请重新登录</translation>
    </message>
    <message>
        <source>SIGNED OUT — scan your badge</source>
        <translation>已退出 — 请扫描工牌</translation>
    </message>
    <message>
        <source>IDLE TIMEOUT — sign in again</source>
        <translation>空闲超时 — 请重新登录</translation>
    </message>
    <message>
        <source>SESSION OVER 12 HOURS — sign in again</source>
        <translation>会话已超过 12 小时 — 请重新登录</translation>
    </message>
    <message>
        <source>YOUR USER WAS DEACTIVATED</source>
        <translation>您的账户已停用</translation>
    </message>
    <message>
        <source>YOUR USER IS LOCKED — ask an administrator</source>
        <translation>您的账户已锁定 — 请联系管理员</translation>
    </message>
    <message>
        <source>YOUR ROLES CHANGED — sign in again</source>
        <translation>您的角色已变更 — 请重新登录</translation>
    </message>
    <message>
        <source>ANOTHER BADGE — enter the PIN</source>
        <translation>已扫描其他工牌 — 请输入 PIN</translation>
    </message>
    <message>
        <source>SIGN IN — scan your badge</source>
        <translation>登录 — 请扫描工牌</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <source>Why the settings change (recorded)</source>
        <translation>更改设置的原因（将被记录）</translation>
    </message>
    <message>
        <source>&amp;Save settings</source>
        <translation>保存设置(&amp;S)</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新加载(&amp;L)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>The settings file is unknown: this station was started without one, so settings cannot be changed here. Edit the file named with --settings and restart; the change is recorded at the next start.</source>
        <translation>设置文件未知：此工作站启动时没有设置文件，因此无法在此更改设置。请编辑 --settings 指定的文件并重启；更改将在下次启动时记录。</translation>
    </message>
    <message>
        <source>The settings file cannot be read: {error}</source>
        <translation>无法读取设置文件：{error}</translation>
    </message>
    <message>
        <source>Settings file: {file}. A restart applies the changes.</source>
        <translation>设置文件：{file}。重启后更改生效。</translation>
    </message>
    <message>
        <source>The settings file is unknown: nothing was saved.</source>
        <translation>设置文件未知：未保存任何内容。</translation>
    </message>
    <message>
        <source>{count} setting(s) not valid, nothing saved. First: {label}: {problem}</source>
        <translation>{count} 项设置无效，未保存任何内容。第一项：{label}：{problem}</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>没有任何更改。</translation>
    </message>
    <message>
        <source>Give a reason: it is recorded with the change.</source>
        <translation>请填写原因：它将随更改一起记录。</translation>
    </message>
    <message>
        <source>Saved: {count} setting(s) changed and recorded. Restart the station to apply them (scanner, camera and other devices are set up at start).</source>
        <translation>已保存：{count} 项设置已更改并记录。请重启工作站使其生效（扫描器、摄像头等设备在启动时设置）。</translation>
    </message>
</context>
<context>
    <name>ShippingScreen</name>
    <message>
        <source>Scan the sales order, then what ships</source>
        <translation>先扫描销售订单，再扫描要发的货</translation>
    </message>
    <message>
        <source>Shipping</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>&amp;Sales order:</source>
        <translation>销售订单(&amp;S)：</translation>
    </message>
    <message>
        <source>Line</source>
        <translation type="vanished">行</translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="vanished">产品</translation>
    </message>
    <message>
        <source>Ordered</source>
        <translation type="vanished">订购</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发</translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="vanished">未结</translation>
    </message>
    <message>
        <source>This shipment</source>
        <translation>本次发货</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <source>Units inside</source>
        <translation>所含单品</translation>
    </message>
    <message>
        <source>Entry</source>
        <translation>录入方式</translation>
    </message>
    <message>
        <source>S&amp;hip</source>
        <translation>发货(&amp;H)</translation>
    </message>
    <message>
        <source>Remove &amp;last</source>
        <translation>移除最后一件(&amp;L)</translation>
    </message>
    <message>
        <source>C&amp;lear list</source>
        <translation>清空清单(&amp;L)</translation>
    </message>
    <message>
        <source>— choose or scan an SO —</source>
        <translation>— 选择或扫描销售订单 —</translation>
    </message>
    <message>
        <source>SO {so}: scan units, cases or pallets</source>
        <translation type="vanished">销售订单 {so}：扫描单品、箱或托盘</translation>
    </message>
    <message>
        <source>Choose the sales order first</source>
        <translation>请先选择销售订单</translation>
    </message>
    <message>
        <source>SO {number}: scan units, cases or pallets</source>
        <translation>销售订单 {number}：扫描单品、箱或托盘</translation>
    </message>
    <message>
        <source>OK — {n} unit(s) listed</source>
        <translation>通过 — 已列 {n} 件单品</translation>
    </message>
    <message>
        <source>Already shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>typed, confirmed</source>
        <translation>手输，已确认</translation>
    </message>
    <message>
        <source>scanned</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>{items} item(s), {units} unit(s)</source>
        <translation>{items} 件物品，{units} 件单品</translation>
    </message>
    <message>
        <source>Removed {item}</source>
        <translation>已移除 {item}</translation>
    </message>
    <message>
        <source>SHIPPED — recorded</source>
        <translation>已发货 — 已记录</translation>
    </message>
    <message>
        <source>{items} item(s), {units} unit(s) on {so}</source>
        <translation>{so}：{items} 件物品，{units} 件单品</translation>
    </message>
</context>
<context>
    <name>SignDialog</name>
    <message>
        <source>Reviewed</source>
        <extracomment>Components naming the signer (the rest are secrets: PIN, password). The meanings in words; translated in the ``SignDialog`` context.</extracomment>
        <translation>已审核</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已放行</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>Electronic signature</source>
        <translation>电子签名</translation>
    </message>
    <message>
        <source>Type your user name</source>
        <extracomment>``badge`` or ``username``: which identity the first signature of a session asks.</extracomment>
        <translation>请输入您的用户名</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Scan or type your badge</source>
        <translation>请扫描或输入您的工牌</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation>PIN 码或密码</translation>
    </message>
    <message>
        <source>Sign</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Signing</source>
        <translation>签署内容</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>Signer</source>
        <translation>签名人</translation>
    </message>
    <message>
        <source>Sign in first: signing needs a login session.</source>
        <translation>请先登录：签名需要登录会话。</translation>
    </message>
    <message>
        <source>Enter your badge or user name and your PIN or password.</source>
        <translation>请输入您的工牌或用户名，以及 PIN 码或密码。</translation>
    </message>
    <message>
        <source>Enter your PIN or password.</source>
        <translation>请输入您的 PIN 码或密码。</translation>
    </message>
    <message>
        <source>Wrong PIN or password: nothing was signed.</source>
        <translation>PIN 码或密码错误：未签名。</translation>
    </message>
    <message>
        <source>The session has ended: sign in again. Nothing was signed.</source>
        <translation>会话已结束：请重新登录。未签名。</translation>
    </message>
    <message>
        <source>Not signed: %1</source>
        <translation>未签名：%1</translation>
    </message>
    <message>
        <source>Not signed: the station could not write the signature.</source>
        <translation>未签名：本站无法写入签名。</translation>
    </message>
    <message>
        <source>Signed by %1</source>
        <translation>签名人 %1</translation>
    </message>
    <message>
        <source>Meaning: %1</source>
        <translation>含义：%1</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>scan your badge</source>
        <translation>扫描工牌</translation>
    </message>
    <message>
        <source>or type your user name</source>
        <translation>或输入用户名</translation>
    </message>
    <message>
        <source>PIN or password</source>
        <translation>PIN 或密码</translation>
    </message>
    <message>
        <source>&amp;Badge:</source>
        <translation>工牌(&amp;B)：</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>用户名(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;PIN / password:</source>
        <translation>PIN / 密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>登录(&amp;S)</translation>
    </message>
    <message>
        <source>Sign in to record</source>
        <translation>登录后方可记录</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>&amp;Current PIN / password:</source>
        <translation>当前 PIN / 密码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;New PIN / password:</source>
        <translation>新 PIN / 密码(&amp;N)：</translation>
    </message>
    <message>
        <source>New, &amp;again:</source>
        <translation>再次输入新的(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Change and sign in</source>
        <translation>修改并登录(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Your PIN or password must be changed first.</source>
        <translation>必须先修改您的 PIN 或密码。</translation>
    </message>
    <message>
        <source>&amp;Printed name:</source>
        <translation>打印姓名(&amp;P)：</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>密码(&amp;W)：</translation>
    </message>
    <message>
        <source>Password, &amp;again:</source>
        <translation>再次输入密码(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Create administrator</source>
        <translation>创建管理员(&amp;C)</translation>
    </message>
    <message>
        <source>First start: no administrator exists yet. Create one; the administrator then adds the other users and their badges (Admin, Ctrl+F12).</source>
        <translation>首次启动：尚无管理员。请创建一个；之后由管理员添加其他用户及其工牌（管理，Ctrl+F12）。</translation>
    </message>
    <message>
        <source>FIRST START — create the administrator</source>
        <translation>首次启动 — 请创建管理员</translation>
    </message>
    <message>
        <source>SIGN IN — scan your badge</source>
        <translation>登录 — 请扫描工牌</translation>
    </message>
    <message>
        <source>Badge read — enter your PIN</source>
        <translation>已读取工牌 — 请输入 PIN</translation>
    </message>
    <message>
        <source>That is not a known badge. Sign in first; F1 Identify reads codes without signing in.</source>
        <translation>这不是已登记的工牌。请先登录；F1 识别无需登录即可读取条码。</translation>
    </message>
    <message>
        <source>Scan your badge (or type your user name) and your PIN.</source>
        <translation>请扫描工牌（或输入用户名）并输入 PIN。</translation>
    </message>
    <message>
        <source>CHANGE YOUR PIN</source>
        <translation>请修改 PIN</translation>
    </message>
    <message>
        <source>{reason} (wait {seconds} s)</source>
        <translation>{reason}（请等待 {seconds} 秒）</translation>
    </message>
    <message>
        <source>Unknown badge or user name.</source>
        <translation>未知的工牌或用户名。</translation>
    </message>
    <message>
        <source>Wrong PIN or password.</source>
        <translation>PIN 或密码错误。</translation>
    </message>
    <message>
        <source>This user is deactivated.</source>
        <translation>该用户已停用。</translation>
    </message>
    <message>
        <source>This user is locked after failed attempts: ask an administrator.</source>
        <translation>该用户因多次失败已被锁定：请联系管理员。</translation>
    </message>
    <message>
        <source>Too soon after a failed attempt.</source>
        <translation>距上次失败尝试时间太短。</translation>
    </message>
    <message>
        <source>Too many failed attempts at this station.</source>
        <translation>本工作站失败尝试次数过多。</translation>
    </message>
    <message>
        <source>No PIN or password is set for this user at this station.</source>
        <translation>该用户在本工作站未设置 PIN 或密码。</translation>
    </message>
    <message>
        <source>This user signs in with a badge and PIN.</source>
        <translation>该用户须使用工牌和 PIN 登录。</translation>
    </message>
    <message>
        <source>The PIN or password has expired: change it first.</source>
        <translation>PIN 或密码已过期：请先修改。</translation>
    </message>
    <message>
        <source>An administrator reset the PIN: change it first.</source>
        <translation>管理员已重置 PIN：请先修改。</translation>
    </message>
    <message>
        <source>The user list from the ERP is too old: a supervisor must confirm the sign-in.</source>
        <translation>来自 ERP 的用户列表已过期：须由主管确认登录。</translation>
    </message>
    <message>
        <source>The confirmation is not valid.</source>
        <translation>确认无效。</translation>
    </message>
    <message>
        <source>That badge belongs to someone else.</source>
        <translation>该工牌属于其他人。</translation>
    </message>
    <message>
        <source>The session has ended: sign in again.</source>
        <translation>会话已结束：请重新登录。</translation>
    </message>
    <message>
        <source>an administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>STATION BLOCKED</source>
        <translation>工作站已暂停登录</translation>
    </message>
    <message>
        <source>Too many failed sign-ins at this station: wait {seconds} s. If it goes on, call an administrator: {names}.</source>
        <translation>本工作站登录失败次数过多：请等待 {seconds} 秒。如仍继续，请联系管理员：{names}。</translation>
    </message>
    <message>
        <source>BADGE LOCKED</source>
        <translation>工牌已锁定</translation>
    </message>
    <message>
        <source>{who} is locked after too many failed attempts; the correct PIN is refused too. Call an administrator to unlock it: {names}.</source>
        <translation>{who} 因验证失败次数过多已被锁定，正确的 PIN 也会被拒绝。请联系管理员解锁：{names}。</translation>
    </message>
    <message>
        <source>NOT SIGNED IN</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>The new PIN or password and its repetition differ.</source>
        <translation>两次输入的新 PIN 或密码不一致。</translation>
    </message>
    <message>
        <source>Give the administrator a user name and a printed name.</source>
        <translation>请为管理员填写用户名和打印姓名。</translation>
    </message>
    <message>
        <source>The password and its repetition differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>SimulatedScannerPanel</name>
    <message>
        <source>Play the whole script</source>
        <extracomment>Separator marker → the script escape that stands for the same byte.</extracomment>
        <translation>播放整个脚本</translation>
    </message>
    <message>
        <source>Compose a scan; \xNN for any byte</source>
        <translation>编写扫描内容；\xNN 表示任意字节</translation>
    </message>
    <message>
        <source>Insert separator {name}</source>
        <translation>插入分隔符 {name}</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Demo scans</source>
        <translation>演示扫描</translation>
    </message>
    <message>
        <source>Compose a scan</source>
        <translation>编写扫描内容</translation>
    </message>
    <message>
        <source>Send {number}</source>
        <translation>发送 {number}</translation>
    </message>
    <message>
        <source>Cannot send: {reason}</source>
        <translation>无法发送：{reason}</translation>
    </message>
</context>
<context>
    <name>StationDemo</name>
    <message>
        <source>Demo — badge or user name · PIN or password · who:</source>
        <extracomment>How long shutdown waits for each device thread. How long a discarded-scan message stays in the status bar. The demo starts its sync (reference ERP, engine) this long after the window is built. Every started scan source with a thread (simulated, serial), in start order. The demo&apos;s label printing (store and simulated printer, opened by the dialog on use). The ERP sync in the status bar (&quot;ERP: not configured&quot; outside the demo). The demo&apos;s sync (reference ERP and engine over the label demo&apos;s store, made on use). The open station database (``station``, ``station --demo``); None: Identify only. Sign-in, session guard and role screens on the workstation.</extracomment>
        <translation>演示 — 工牌或用户名 · PIN 或密码 · 身份：</translation>
    </message>
    <message>
        <source>{badge} · {secret} · {name} ({roles})</source>
        <translation>{badge} · {secret} · {name}（{roles}）</translation>
    </message>
</context>
<context>
    <name>StatusBanner</name>
    <message>
        <source>READY — scan a code</source>
        <extracomment>(symbol, background, text colour) per state; colours meet WCAG AA contrast with their text.</extracomment>
        <translation>就绪——请扫码</translation>
    </message>
    <message>
        <source>VALID</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>CHECK FAILED</source>
        <translation>校验失败</translation>
    </message>
    <message>
        <source>NOT READABLE</source>
        <translation>无法识别</translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message>
        <source>Sync with the ERP</source>
        <translation>与 ERP 同步</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Simulate network outage (demo)</source>
        <translation>模拟网络中断（演示）</translation>
    </message>
    <message>
        <source>Record {n} demo events</source>
        <translation>记录 {n} 条演示事件</translation>
    </message>
    <message>
        <source>Retry selected</source>
        <translation>重试所选</translation>
    </message>
    <message>
        <source>Opening the sync…</source>
        <translation>正在启动同步…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Events the ERP refused</source>
        <translation>ERP 拒收的事件</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>The sync did not start.</source>
        <translation>同步未能启动。</translation>
    </message>
    <message>
        <source>Asking the ERP…</source>
        <translation>正在联系 ERP…</translation>
    </message>
    <message>
        <source>Sending events to the ERP: {done} of {total}…</source>
        <translation>正在向 ERP 发送事件：{done} / {total}…</translation>
    </message>
    <message>
        <source>Stopped: the ERP did not answer. {n} event(s) still queued.</source>
        <translation>已停止：ERP 无应答。仍有 {n} 条事件在队列中。</translation>
    </message>
    <message>
        <source>Sent {n} event(s) to the ERP.</source>
        <translation>已向 ERP 发送 {n} 条事件。</translation>
    </message>
    <message>
        <source>Nothing to send: the ERP has every event.</source>
        <translation>无需发送：ERP 已有全部事件。</translation>
    </message>
    <message>
        <source>{n} event(s) wait behind refused events.</source>
        <translation>{n} 条事件在被拒收的事件之后等待。</translation>
    </message>
    <message>
        <source>Select the refused events to send again.</source>
        <translation>请选择要重新发送的被拒收事件。</translation>
    </message>
    <message>
        <source>Retrying…</source>
        <translation>正在重试…</translation>
    </message>
    <message>
        <source>{n} event(s) will be sent again.</source>
        <translation>{n} 条事件将重新发送。</translation>
    </message>
    <message>
        <source>Nothing was retried.</source>
        <translation>未重试任何事件。</translation>
    </message>
    <message>
        <source>Network outage simulated: the ERP does not answer.</source>
        <translation>已模拟网络中断：ERP 不再应答。</translation>
    </message>
    <message>
        <source>Network back: the ERP answers again.</source>
        <translation>网络已恢复：ERP 重新应答。</translation>
    </message>
    <message>
        <source>{n} event(s) recorded and queued.</source>
        <translation>已记录 {n} 条事件并加入队列。</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>ERP: not configured</source>
        <extracomment>state → colour (dot, and the text for errors and warnings). How often the status is read again (besides the engine&apos;s own reports), ms. How often a countdown (&quot;next try in 30 s&quot;) is redrawn, ms (no I/O).</extracomment>
        <translation>ERP：未配置</translation>
    </message>
    <message>
        <source>ERP: sync unavailable</source>
        <translation>ERP：同步不可用</translation>
    </message>
    <message>
        <source>ERP: starting…</source>
        <translation>ERP：正在启动…</translation>
    </message>
    <message>
        <source>{n} queued</source>
        <translation>{n} 条待发送</translation>
    </message>
    <message>
        <source>ERP: {n} sync error(s)</source>
        <translation>ERP：{n} 个同步错误</translation>
    </message>
    <message>
        <source>ERP: offline</source>
        <translation>ERP：离线</translation>
    </message>
    <message>
        <source>next try in {s} s</source>
        <translation>{s} 秒后重试</translation>
    </message>
    <message>
        <source>ERP: connecting…</source>
        <translation>ERP：正在连接…</translation>
    </message>
    <message>
        <source>ERP: online</source>
        <translation>ERP：在线</translation>
    </message>
    <message>
        <source>last sync {time}</source>
        <translation>上次同步 {time}</translation>
    </message>
    <message>
        <source>clock off by {offset} s</source>
        <translation>时钟偏差 {offset} 秒</translation>
    </message>
    <message>
        <source>The sync did not start: {error}</source>
        <translation>同步未能启动：{error}</translation>
    </message>
    <message>
        <source>No ERP endpoint is set up for this station.</source>
        <translation>本工作站尚未设置 ERP 接口。</translation>
    </message>
    <message>
        <source>Queued events: {n}</source>
        <translation>待发送事件：{n}</translation>
    </message>
    <message>
        <source>({n} held back behind refused events)</source>
        <translation>（其中 {n} 条在被拒收的事件之后等待）</translation>
    </message>
    <message>
        <source>Events the ERP refused: {n}</source>
        <translation>ERP 拒收的事件：{n}</translation>
    </message>
    <message>
        <source>Oldest queued event: {time}</source>
        <translation>最早的待发送事件：{time}</translation>
    </message>
    <message>
        <source>Last successful sync: {time}</source>
        <translation>上次成功同步：{time}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Last attempt: {time}</source>
        <translation>上次尝试：{time}</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>最近的错误：{error}</translation>
    </message>
    <message>
        <source>Clock offset to the ERP: {offset} s</source>
        <translation>与 ERP 的时钟偏差：{offset} 秒</translation>
    </message>
    <message>
        <source>(check the station&apos;s clock)</source>
        <translation>（请检查工作站时钟）</translation>
    </message>
    <message>
        <source>Next try in {s} s</source>
        <translation>{s} 秒后重试</translation>
    </message>
    <message>
        <source>The sync engine is not running.</source>
        <translation>同步引擎未运行。</translation>
    </message>
</context>
<context>
    <name>TemplatesTab</name>
    <message>
        <source>Template</source>
        <extracomment>The preview&apos;s resolution: a common label printer&apos;s, so the preview looks like the print.</extracomment>
        <translation>模板</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>编写时间</translation>
    </message>
    <message>
        <source>Approver</source>
        <translation>批准人</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>批准时间</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>停用时间</translation>
    </message>
    <message>
        <source>Why it is approved or retired (recorded with the change)</source>
        <translation>批准或停用的原因（随更改一起记录）</translation>
    </message>
    <message>
        <source>A draft is used in production only once someone other than its author approves it; approved versions never change. A retired version prints no new labels; reprints of its old labels still reproduce it.</source>
        <translation>草稿须经作者以外的人批准后才能用于生产；已批准的版本不可更改。已停用的版本不再打印新标签；其旧标签的重印仍按原样复现。</translation>
    </message>
    <message>
        <source>Give a reason: it is recorded with the change.</source>
        <translation>请填写原因：它将随更改一起记录。</translation>
    </message>
    <message>
        <source>Why it may be used in production (recorded)</source>
        <translation type="vanished">可用于生产的原因（将被记录）</translation>
    </message>
    <message>
        <source>&amp;Approve draft</source>
        <translation>批准草稿(&amp;A)</translation>
    </message>
    <message>
        <source>Retire &amp;version</source>
        <translation>停用此版本(&amp;V)</translation>
    </message>
    <message>
        <source>Retire &amp;template</source>
        <translation>停用整个模板(&amp;T)</translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation>预览(&amp;V)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>A draft is used in production only once someone other than its author approves it; approved versions never change.</source>
        <translation type="vanished">草稿须由作者以外的人批准后才能用于生产；已批准的版本永不更改。</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Give a reason: it is recorded with the approval.</source>
        <translation type="vanished">请填写原因：它将随批准一起记录。</translation>
    </message>
    <message>
        <source>{name} version {version} approved for production.</source>
        <translation>{name} 版本 {version} 已批准用于生产。</translation>
    </message>
    <message>
        <source>{name} version {version} retired: it prints no new labels.</source>
        <translation>{name} 版本 {version} 已停用：不再打印新标签。</translation>
    </message>
    <message>
        <source>Template {name} retired (every version): it prints no new labels.</source>
        <translation>模板 {name} 已停用（所有版本）：不再打印新标签。</translation>
    </message>
    <message>
        <source>Rendering…</source>
        <translation>正在渲染…</translation>
    </message>
    <message>
        <source>{name} version {version} with sample data (not a production label).</source>
        <translation>{name} 版本 {version}，使用示例数据（非生产标签）。</translation>
    </message>
    <message>
        <source>No preview: {error}</source>
        <translation>无法预览：{error}</translation>
    </message>
</context>
<context>
    <name>TimelineModel</name>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Through</source>
        <translation>关联</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>签名</translation>
    </message>
    <message>
        <source>[declared in error]</source>
        <translation>[已声明错误]</translation>
    </message>
    <message>
        <source>[typed by hand]</source>
        <translation>[手工输入]</translation>
    </message>
    <message>
        <source>{name} — {meaning} — {when} — {status}</source>
        <translation>{name} — {meaning} — {when} — {status}</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>this item</source>
        <translation>本物品</translation>
    </message>
</context>
<context>
    <name>TraceScreen</name>
    <message>
        <source>Trace</source>
        <translation>追溯</translation>
    </message>
    <message>
        <source>&amp;Trace</source>
        <translation>追溯(&amp;T)</translation>
    </message>
    <message>
        <source>Scan or type a unit, lot, case, pallet or supplier lot</source>
        <translation>扫描或输入单品、批次、箱、托盘或供应商批次</translation>
    </message>
    <message>
        <source>Signatures of the selected event</source>
        <translation>所选事件的电子签名</translation>
    </message>
    <message>
        <source>Time&amp;line</source>
        <translation>时间线(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Genealogy</source>
        <translation>谱系(&amp;G)</translation>
    </message>
    <message>
        <source>Events: {events} · supplier lots: {suppliers} · units made: {units} · customers: {customers}</source>
        <translation>{events} 个事件 · {suppliers} 个供应商批次 · 制成 {units} 件单品 · {customers} 个客户</translation>
    </message>
    <message>
        <source>Export &amp;PDF…</source>
        <translation type="vanished">导出 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation type="vanished">导出 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Code:</source>
        <translation>代码(&amp;C)：</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="vanished">未登录</translation>
    </message>
    <message>
        <source>Tracing {code}…</source>
        <translation>正在追溯 {code}…</translation>
    </message>
    <message>
        <source>Trace not possible</source>
        <translation>无法追溯</translation>
    </message>
    <message>
        <source>Unknown code</source>
        <translation>未知代码</translation>
    </message>
    <message>
        <source>Nothing recorded names {code}.</source>
        <translation>没有任何记录涉及 {code}。</translation>
    </message>
    <message>
        <source>{events} events · {suppliers} supplier lots · {units} units made · {customers} customers</source>
        <translation type="vanished">{events} 个事件 · {suppliers} 个供应商批次 · 制成 {units} 件单品 · {customers} 个客户</translation>
    </message>
    <message>
        <source>Now: {status}</source>
        <translation>当前：{status}</translation>
    </message>
    <message>
        <source>Found: {n} events</source>
        <translation>已找到：{n} 个事件</translation>
    </message>
    <message>
        <source>No signatures.</source>
        <translation>无签名。</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="vanished">PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="vanished">CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Export the trace report</source>
        <translation>导出追溯报告</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation type="vanished">正在写入报告…</translation>
    </message>
    <message>
        <source>Report written: {path} ({where})</source>
        <translation type="vanished">报告已写入：{path}（{where}）</translation>
    </message>
    <message>
        <source>Report written</source>
        <translation type="vanished">报告已写入</translation>
    </message>
    <message>
        <source>Nothing exported: {error}</source>
        <translation type="vanished">未导出任何内容：{error}</translation>
    </message>
    <message>
        <source>Nothing exported</source>
        <translation type="vanished">未导出任何内容</translation>
    </message>
</context>
<context>
    <name>UserBar</name>
    <message>
        <source>&amp;Lock</source>
        <extracomment>How often the guard looks whether the session has ended on its own (idle, cap, revoked).</extracomment>
        <translation>锁定(&amp;L)</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>退出登录(&amp;O)</translation>
    </message>
    <message>
        <source>Nobody is signed in</source>
        <translation>无人登录</translation>
    </message>
    <message>
        <source>{name} ({user}) · {roles}</source>
        <translation>{name}（{user}）· {roles}</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>User name</source>
        <extracomment>Role check boxes per row in the forms (a grid: every title fits, in either language).</extracomment>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Printed name</source>
        <translation>打印姓名</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>上次登录</translation>
    </message>
    <message>
        <source>Secret age (days)</source>
        <translation>密码已用天数</translation>
    </message>
    <message>
        <source>Must change</source>
        <translation>须更改</translation>
    </message>
    <message>
        <source>E&amp;xport access review (CSV)…</source>
        <translation>导出访问审查 (CSV)(&amp;X)…</translation>
    </message>
    <message>
        <source>Scan the badge (or leave empty: password)</source>
        <translation>扫描工牌（或留空：使用密码）</translation>
    </message>
    <message>
        <source>&amp;Create user</source>
        <translation>创建用户(&amp;C)</translation>
    </message>
    <message>
        <source>Why (recorded with the change)</source>
        <translation>原因（随更改一起记录）</translation>
    </message>
    <message>
        <source>Save &amp;roles</source>
        <translation>保存角色(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Deactivate</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <source>Reset &amp;PIN or password</source>
        <translation>重置 PIN 或密码(&amp;P)</translation>
    </message>
    <message>
        <source>Issue &amp;badge…</source>
        <translation>发放新工牌(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Withdraw badge</source>
        <translation>收回工牌(&amp;W)</translation>
    </message>
    <message>
        <source>Scan the new badge now</source>
        <translation>请现在扫描新工牌</translation>
    </message>
    <message>
        <source>Issue the new badge</source>
        <translation>发放新工牌</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Scanned badge</source>
        <translation>已扫描的工牌</translation>
    </message>
    <message>
        <source>Or type it</source>
        <translation>或手动输入</translation>
    </message>
    <message>
        <source>Type it again</source>
        <translation>再次输入</translation>
    </message>
    <message>
        <source>The old badge stops working at once and is never issued again. The reason above is recorded.</source>
        <translation>旧工牌立即失效，且永不再发放。上方填写的原因将被记录。</translation>
    </message>
    <message>
        <source>Printed &amp;name</source>
        <translation>打印姓名(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Badge</source>
        <translation>工牌(&amp;B)</translation>
    </message>
    <message>
        <source>Initial PIN or password</source>
        <translation>初始 PIN 或密码</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>再次输入</translation>
    </message>
    <message>
        <source>Selected user</source>
        <translation>所选用户</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="obsolete">原因</translation>
    </message>
    <message>
        <source>User na&amp;me (never changes)</source>
        <translation>用户名（不可更改）(&amp;M)</translation>
    </message>
    <message>
        <source>Reas&amp;on</source>
        <translation>原因(&amp;O)</translation>
    </message>
    <message>
        <source>New PIN or password</source>
        <translation>新 PIN 或密码</translation>
    </message>
    <message>
        <source>Users (never deleted)</source>
        <translation>用户（永不删除）</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>Change the selected user</source>
        <translation>修改所选用户</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>(expired)</source>
        <translation>（已过期）</translation>
    </message>
    <message>
        <source>PINs and passwords cannot be set here: the station&apos;s secret store (pepper) was not provided to this screen.</source>
        <translation>此处无法设置 PIN 和密码：未向此界面提供工作站的密钥存储（pepper）。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Badge scanned</source>
        <translation>已扫描工牌</translation>
    </message>
    <message>
        <source>You may not manage users.</source>
        <translation>您无权管理用户。</translation>
    </message>
    <message>
        <source>Give a reason: it is recorded with the change.</source>
        <translation>请填写原因：它将随更改一起记录。</translation>
    </message>
    <message>
        <source>Enter the PIN or password twice.</source>
        <translation>请输入两次 PIN 或密码。</translation>
    </message>
    <message>
        <source>The two entries differ: enter the PIN or password again.</source>
        <translation>两次输入不一致：请重新输入 PIN 或密码。</translation>
    </message>
    <message>
        <source>User {user} created.</source>
        <translation>已创建用户 {user}。</translation>
    </message>
    <message>
        <source>Roles of {user} saved.</source>
        <translation>已保存 {user} 的角色。</translation>
    </message>
    <message>
        <source>{user} deactivated.</source>
        <translation>已停用 {user}。</translation>
    </message>
    <message>
        <source>{user} unlocked.</source>
        <translation>已解锁 {user}。</translation>
    </message>
    <message>
        <source>New secret set for {user}: they must change it at the next sign-in.</source>
        <translation>已为 {user} 设置新密码：下次登录时必须更改。</translation>
    </message>
    <message>
        <source>New badge for {user} (now: {badge})</source>
        <translation>为 {user} 发放新工牌（当前：{badge}）</translation>
    </message>
    <message>
        <source>Scan the new badge, or type it twice.</source>
        <translation>请扫描新工牌，或手动输入两次。</translation>
    </message>
    <message>
        <source>The two entries differ: type the badge again.</source>
        <translation>两次输入不一致：请重新输入工牌号。</translation>
    </message>
    <message>
        <source>New badge issued to {user}; the old one no longer works.</source>
        <translation>已为 {user} 发放新工牌；旧工牌已失效。</translation>
    </message>
    <message>
        <source>The badge of {user} is withdrawn: it no longer works.</source>
        <translation>{user} 的工牌已收回，不再有效。</translation>
    </message>
    <message>
        <source>Export access review</source>
        <translation>导出访问审查</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Access review exported: {count} users to {file}.</source>
        <translation>访问审查已导出：{count} 个用户，文件 {file}。</translation>
    </message>
</context>
<context>
    <name>WedgeListener</name>
    <message>
        <source>Scan discarded: the scanner paused in the middle of it.</source>
        <extracomment>A burst that starts this soon after a discarded one is its tail (the scanner went on typing after a pause): it is discarded too rather than read as a code of its own. A deadline timer firing this much later than asked means the event loop was busy, and key events typed meanwhile may still be queued: wait one more period before deciding. Ctrl chords a wedge scanner types for the separators it has no key for. Keys that only modify the next one; scanners press Shift and Ctrl inside a burst. Longest gap between two keys of one scan. Scanners: 1–10 ms; people: over 50 ms. Fewer fast keys than this are a person typing (a key pair can be fast by chance). Silence that ends a scan with no terminator, or abandons an unfinished one.</extracomment>
        <translation>扫描已丢弃：扫描枪在输入中途停顿了。</translation>
    </message>
    <message>
        <source>Scan discarded: the scanner sent no end key (Enter or Tab) after it. Check the scanner&apos;s suffix setting.</source>
        <translation>扫描已丢弃：扫描枪在数据后没有发送结束键（Enter 或 Tab）。请检查扫描枪的后缀设置。</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>Received</source>
        <translation>收货</translation>
    </message>
    <message>
        <source>Inspected</source>
        <translation>检验</translation>
    </message>
    <message>
        <source>Commissioned</source>
        <translation>赋码</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>包装</translation>
    </message>
    <message>
        <source>Unpacked</source>
        <translation>拆包</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Hold or release</source>
        <translation>冻结或放行</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>生产</translation>
    </message>
    <message>
        <source>Decommissioned</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>conformant</source>
        <translation>合格</translation>
    </message>
    <message>
        <source>non-conformant</source>
        <translation>不合格</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>in transit</source>
        <translation>运输中</translation>
    </message>
    <message>
        <source>returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>recalled</source>
        <translation>已召回</translation>
    </message>
    <message>
        <source>container closed</source>
        <translation>包装已封闭</translation>
    </message>
    <message>
        <source>inactive</source>
        <translation>无效</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单品</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Case/pallet</source>
        <translation>箱/托盘</translation>
    </message>
    <message>
        <source>Party</source>
        <translation>相关方</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>产品</translation>
    </message>
    <message>
        <source>In stock</source>
        <translation>在库</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退回</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>冻结</translation>
    </message>
    <message>
        <source>Reviewed</source>
        <translation>已审核</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已放行</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <source>verifies</source>
        <translation>验证通过</translation>
    </message>
    <message>
        <source>DOES NOT VERIFY</source>
        <translation>验证失败</translation>
    </message>
    <message>
        <source>not verified</source>
        <translation>未验证</translation>
    </message>
    <message>
        <source>the record changed after signing</source>
        <translation>签名后记录已更改</translation>
    </message>
    <message>
        <source>the record was declared in error</source>
        <translation>记录已被声明错误</translation>
    </message>
    <message>
        <source>the signature does not match</source>
        <translation>签名不匹配</translation>
    </message>
    <message>
        <source>signed for another record</source>
        <translation>签名属于另一条记录</translation>
    </message>
    <message>
        <source>unknown signing key</source>
        <translation>未知的签名密钥</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检验员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>QA manager</source>
        <translation>质量经理</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Received, not yet accepted</source>
        <translation>已收货，待验收</translation>
    </message>
    <message>
        <source>In inspection</source>
        <translation>检验中</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>已验收</translation>
    </message>
    <message>
        <source>Quarantined</source>
        <translation>已隔离</translation>
    </message>
    <message>
        <source>Labelled</source>
        <translation>已贴标</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>disconnected – retrying</source>
        <translation>已断开 – 正在重试</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>finished (end of the video)</source>
        <translation>已结束（视频播放完毕）</translation>
    </message>
    <message>
        <source>keyboard (wedge)</source>
        <translation>键盘（楔形）</translation>
    </message>
    <message>
        <source>serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>simulated</source>
        <translation>模拟</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>回车键</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tab 键</translation>
    </message>
    <message>
        <source>CR</source>
        <translation>回车符</translation>
    </message>
    <message>
        <source>LF</source>
        <translation>换行符</translation>
    </message>
    <message>
        <source>CR LF</source>
        <translation>回车换行符</translation>
    </message>
    <message>
        <source>CR, LF or CR LF</source>
        <translation>回车符、换行符或回车换行符</translation>
    </message>
    <message>
        <source>a pause</source>
        <translation>停顿</translation>
    </message>
    <message>
        <source>lot</source>
        <extracomment>Item data role holding a tree node&apos;s URI (tests and &quot;trace this&quot; use it).</extracomment>
        <translation>批号</translation>
    </message>
    <message>
        <source>SN</source>
        <translation>序列号</translation>
    </message>
</context>
<context>
    <name>scanner.finding</name>
    <message>
        <source>Add {token} to reader.gs_substitutes in the station settings so it is read as GS, or make the scanner send GS itself (Ctrl+] as a keyboard wedge).</source>
        <translation>在工作站设置中将 {token} 加入 reader.gs_substitutes，使其被读作 GS；或让扫码枪直接发送 GS（键盘模式下为 Ctrl+]）。</translation>
    </message>
    <message>
        <source>Change the scanner&apos;s GS replacement to text that never occurs in codes, such as {{GS}}, and add that to reader.gs_substitutes; or make the scanner send GS itself.</source>
        <translation>将扫码枪的 GS 替代文本改为条码中不会出现的文本（如 {{GS}}），并将其加入 reader.gs_substitutes；或让扫码枪直接发送 GS。</translation>
    </message>
    <message>
        <source>Check that the scanner sends data, not only its suffix.</source>
        <translation>请检查扫码枪是否发送了数据，而不仅仅是后缀。</translation>
    </message>
    <message>
        <source>Every code on the sheet was read correctly: the scanner is set up correctly.</source>
        <translation>测试表上的所有条码均读取正确：扫码枪设置正确。</translation>
    </message>
    <message>
        <source>For a keyboard-wedge scanner, set its keyboard country to the computer&apos;s layout. Otherwise look for data-editing or character-replacement rules in the scanner&apos;s setup.</source>
        <translation>键盘模式的扫码枪：将其键盘国家/布局设为与电脑一致。否则请检查扫码枪设置中的数据编辑或字符替换规则。</translation>
    </message>
    <message>
        <source>French (AZERTY)</source>
        <translation>法语（AZERTY）</translation>
    </message>
    <message>
        <source>German (QWERTZ)</source>
        <translation>德语（QWERTZ）</translation>
    </message>
    <message>
        <source>Keyboard layout mismatch: the scanner types as French (AZERTY), the computer reads US English: {changes}.</source>
        <translation>键盘布局不一致：扫码枪按法语（AZERTY）键盘输入，电脑按美式英语键盘读取：{changes}。</translation>
    </message>
    <message>
        <source>Keyboard layout mismatch: the scanner types as German (QWERTZ), the computer reads US English: {changes}.</source>
        <translation>键盘布局不一致：扫码枪按德语（QWERTZ）键盘输入，电脑按美式英语键盘读取：{changes}。</translation>
    </message>
    <message>
        <source>Keyboard layout mismatch: the scanner types as US English, the computer reads French (AZERTY): {changes}.</source>
        <translation>键盘布局不一致：扫码枪按美式英语键盘输入，电脑按法语（AZERTY）键盘读取：{changes}。</translation>
    </message>
    <message>
        <source>Keyboard layout mismatch: the scanner types as US English, the computer reads German (QWERTZ): {changes}.</source>
        <translation>键盘布局不一致：扫码枪按美式英语键盘输入，电脑按德语（QWERTZ）键盘读取：{changes}。</translation>
    </message>
    <message>
        <source>Make the scanner send the AIM symbology identifier, not its own code letters, and enable GS1 (FNC1) decoding for GS1-128 and GS1 DataMatrix. Turn on the AIM symbology identifier in the scanner&apos;s setup (Zebra: &apos;Transmit Code ID Character&apos; = &apos;AIM Code ID Character&apos;; Honeywell: add the AIM ID prefix in the prefix/suffix settings), then scan this sheet again.</source>
        <translation>让扫码枪发送 AIM 码制标识符，而不是厂商自己的代码字母，并为 GS1-128 和 GS1 DataMatrix 启用 GS1（FNC1）解码。在扫码枪设置中开启 AIM 码制标识符（Zebra：将“Transmit Code ID Character”设为“AIM Code ID Character”；Honeywell：在前缀/后缀设置中添加 AIM ID 前缀），然后重新扫描本测试表。</translation>
    </message>
    <message>
        <source>Make the scanner transmit control characters: as a keyboard wedge it must type GS as Ctrl+] (often called &apos;control character output&apos; or &apos;Ctrl+ASCII&apos;), or send a substitute such as {{GS}} and add it to reader.gs_substitutes. A USB serial (CDC) interface sends GS unchanged.</source>
        <translation>让扫码枪发送控制字符：键盘模式下须将 GS 输入为 Ctrl+]（通常称为“控制字符输出”或“Ctrl+ASCII”），或发送替代文本（如 {{GS}}）并将其加入 reader.gs_substitutes。USB 串口（CDC）接口会原样发送 GS。</translation>
    </message>
    <message>
        <source>No code of the sheet has been scanned yet.</source>
        <translation>尚未扫描测试表上的任何条码。</translation>
    </message>
    <message>
        <source>Not scanned yet: code(s) {numbers}.</source>
        <translation>尚未扫描：第 {numbers} 个条码。</translation>
    </message>
    <message>
        <source>Nothing to do while {token} stays in reader.gs_substitutes.</source>
        <translation>只要 {token} 保留在 reader.gs_substitutes 中，就无需操作。</translation>
    </message>
    <message>
        <source>Nothing to do.</source>
        <translation>无需操作。</translation>
    </message>
    <message>
        <source>Print the sheet (station diagnostics scanner-sheet) and scan its codes one by one.</source>
        <translation>打印测试表（station diagnostics scanner-sheet），然后逐个扫描其中的条码。</translation>
    </message>
    <message>
        <source>Raise the scanner&apos;s maximum length for this symbology, and for a keyboard wedge lengthen its inter-character delay; then scan again.</source>
        <translation>提高扫码枪对该码制的最大长度限制；键盘模式下还应加大字符间延时；然后重新扫描。</translation>
    </message>
    <message>
        <source>Read correctly.</source>
        <translation>读取正确。</translation>
    </message>
    <message>
        <source>Remove the prefix in the scanner&apos;s prefix/suffix settings (keep only the AIM identifier), or configure the station&apos;s serial framing prefix to strip it.</source>
        <translation>在扫码枪的前缀/后缀设置中删除该前缀（只保留 AIM 标识符），或在工作站的串口分帧设置中配置该前缀以将其去除。</translation>
    </message>
    <message>
        <source>Scan code {expected}, or let the test match scans to codes itself.</source>
        <translation>请扫描第 {expected} 个条码，或让测试自动匹配扫描与条码。</translation>
    </message>
    <message>
        <source>Scan every code on the sheet to complete the test.</source>
        <translation>扫描测试表上的所有条码以完成测试。</translation>
    </message>
    <message>
        <source>Scan one code at a time; check that the scanner is not set to send several codes together.</source>
        <translation>请一次只扫描一个条码；检查扫码枪是否被设置为一次发送多个条码。</translation>
    </message>
    <message>
        <source>Scan the codes on the printed scanner test sheet (station diagnostics scanner-sheet).</source>
        <translation>请扫描打印出的扫码枪测试表上的条码（station diagnostics scanner-sheet）。</translation>
    </message>
    <message>
        <source>Set the scanner&apos;s keyboard country to {computer} (the layout the computer uses), or switch the computer to {scanner}. Prefer a USB serial (CDC) interface: it sends bytes, not keys.</source>
        <translation>将扫码枪的键盘国家/布局设为 {computer}（电脑使用的布局），或将电脑切换为 {scanner}。建议使用 USB 串口（CDC）接口：它发送字节而非按键。</translation>
    </message>
    <message>
        <source>Set the scanner&apos;s suffix to Enter (CR) instead of Tab: the station waits for Enter.</source>
        <translation>将扫码枪的后缀由 Tab 改为回车（CR）：工作站以回车判断扫描结束。</translation>
    </message>
    <message>
        <source>Set the scanner&apos;s suffix to Enter (CR) only: keyboard wedges end each scan with Enter, serial scanners with CR, LF or CR LF.</source>
        <translation>将扫码枪的后缀仅设为回车（CR）：键盘模式以回车结束每次扫描，串口模式以 CR、LF 或 CR LF 结束。</translation>
    </message>
    <message>
        <source>Some characters arrive changed: {changes}.</source>
        <translation>部分字符被改变：{changes}。</translation>
    </message>
    <message>
        <source>The GS separator is lost: variable-length fields run together (lot and serial merge).</source>
        <translation>GS 分隔符丢失：可变长度字段连在一起（批号与序列号合并）。</translation>
    </message>
    <message>
        <source>The code arrived cut short: {received} of {expected} characters.</source>
        <translation>条码数据不完整：只收到 {expected} 个字符中的 {received} 个。</translation>
    </message>
    <message>
        <source>The scan is {length} bytes long, far longer than any code on the sheet.</source>
        <translation>扫描内容长 {length} 字节，远超测试表上任何条码。</translation>
    </message>
    <message>
        <source>The scan was empty.</source>
        <translation>扫描内容为空。</translation>
    </message>
    <message>
        <source>The scanner ends the code with Tab.</source>
        <translation>扫码枪以 Tab 结束条码。</translation>
    </message>
    <message>
        <source>The scanner sends no AIM symbology identifier (expected {expected}).</source>
        <translation>扫码枪未发送 AIM 码制标识符（应为 {expected}）。</translation>
    </message>
    <message>
        <source>The scanner sends the identifier {received} where {expected} was expected.</source>
        <translation>扫码枪发送的标识符为 {received}，应为 {expected}。</translation>
    </message>
    <message>
        <source>The scanner sends {prefix} before the code.</source>
        <translation>扫码枪在条码前发送了 {prefix}。</translation>
    </message>
    <message>
        <source>The scanner sends {suffix} after the code.</source>
        <translation>扫码枪在条码后发送了 {suffix}。</translation>
    </message>
    <message>
        <source>The scanner sends {token} instead of the GS separator, and {token} can also be data.</source>
        <translation>扫码枪用 {token} 代替 GS 分隔符，而 {token} 也可能是数据内容。</translation>
    </message>
    <message>
        <source>The scanner sends {token} instead of the GS separator.</source>
        <translation>扫码枪用 {token} 代替 GS 分隔符。</translation>
    </message>
    <message>
        <source>The scanner sends {token} instead of the GS separator; the station maps it back.</source>
        <translation>扫码枪用 {token} 代替 GS 分隔符；工作站会将其还原。</translation>
    </message>
    <message>
        <source>This is code {received} of the sheet, not code {expected}.</source>
        <translation>这是测试表上的第 {received} 个条码，不是第 {expected} 个。</translation>
    </message>
    <message>
        <source>This is not one of the sheet&apos;s codes.</source>
        <translation>这不是测试表上的条码。</translation>
    </message>
    <message>
        <source>Turn Caps Lock off on the computer, or enable the scanner&apos;s Caps Lock override (automatic Caps Lock detection) so lots and serials keep their case.</source>
        <translation>关闭电脑的大写锁定，或开启扫码枪的“忽略大写锁定”（自动检测大写锁定）功能，使批号和序列号保持原有大小写。</translation>
    </message>
    <message>
        <source>Turn on the AIM symbology identifier in the scanner&apos;s setup (Zebra: &apos;Transmit Code ID Character&apos; = &apos;AIM Code ID Character&apos;; Honeywell: add the AIM ID prefix in the prefix/suffix settings), then scan this sheet again.</source>
        <translation>在扫码枪设置中开启 AIM 码制标识符（Zebra：将“Transmit Code ID Character”设为“AIM Code ID Character”；Honeywell：在前缀/后缀设置中添加 AIM ID 前缀），然后重新扫描本测试表。</translation>
    </message>
    <message>
        <source>US English</source>
        <translation>美式英语</translation>
    </message>
    <message>
        <source>Upper and lower case are swapped: Caps Lock is on.</source>
        <translation>大小写颠倒：大写锁定（Caps Lock）已开启。</translation>
    </message>
</context>
<context>
    <name>scanner.sheet</name>
    <message>
        <source>GS1 DataMatrix with separators</source>
        <translation>带分隔符的 GS1 DataMatrix</translation>
    </message>
    <message>
        <source>GS1-128 with a separator</source>
        <translation>带分隔符的 GS1-128</translation>
    </message>
    <message>
        <source>HIBC DataMatrix</source>
        <translation>HIBC DataMatrix</translation>
    </message>
    <message>
        <source>Keyboard layout and Caps Lock</source>
        <translation>键盘布局与大写锁定</translation>
    </message>
    <message>
        <source>QR code with a GS1 Digital Link</source>
        <translation>GS1 数字链接二维码（QR）</translation>
    </message>
    <message>
        <source>Suffix probe</source>
        <translation>后缀探测</translation>
    </message>
</context>
<context>
    <name>station.setting</name>
    <message>
        <source>&apos;device&apos;: a camera attached to the computer; &apos;simulated&apos;: images or a video from the source below; &apos;none&apos;: no camera.</source>
        <translation>“device”：连接到计算机的摄像头；“simulated”：来自下方来源的图像或视频；“none”：无摄像头。</translation>
    </message>
    <message>
        <source>&apos;epcis&apos;: the centre&apos;s EPCIS 2.0 capture interface; &apos;webhook&apos;: the JSON webhook for ERPs without EPCIS; &apos;none&apos;: events stay queued on the station.</source>
        <translation>“epcis”：中心的 EPCIS 2.0 捕获接口；“webhook”：供不支持 EPCIS 的 ERP 使用的 JSON webhook；“none”：事件留在工作站的队列中。</translation>
    </message>
    <message>
        <source>A PEM file: when set, only certificates issued by this CA are trusted for the ERP (pinning); empty uses the computer&apos;s trusted certificates.</source>
        <translation>一个 PEM 文件：设置后，ERP 只信任此 CA 签发的证书（证书固定）；留空则使用计算机信任的证书。</translation>
    </message>
    <message>
        <source>A code held in front of the camera is read many times a second; it counts once until it has been out of view this long. 0 reports every read.</source>
        <translation>放在摄像头前的代码每秒会被读取多次；它只计一次，直到离开视野达到此时间。0 表示报告每一次读取。</translation>
    </message>
    <message>
        <source>A keyboard-wedge scanner types a key every 1–10 ms, a person rarely faster than every 50 ms. Keys closer together than this belong to a scan.</source>
        <translation>键盘楔形扫描器每 1–10 毫秒键入一个按键，而人很少快于每 50 毫秒一个。间隔小于此值的按键属于一次扫描。</translation>
    </message>
    <message>
        <source>A scheduled backup is also taken once this many events were recorded since the last one.</source>
        <translation>自上次备份以来记录的事件达到此数量时，也会进行一次定时备份。</translation>
    </message>
    <message>
        <source>A session ends this long after its login, however busy.</source>
        <translation>会话在登录后经过此时间即结束，无论是否忙碌。</translation>
    </message>
    <message>
        <source>A session with no key, scan or click for this long ends; the next signature asks for the badge (or user name) and the PIN again (AUTH-4).</source>
        <translation>在此时间内没有按键、扫描或点击的会话将结束；下一次签名需要再次提供工牌（或用户名）和 PIN（AUTH-4）。</translation>
    </message>
    <message>
        <source>A sound for every accepted, warning and refused scan (colours and words show anyway).</source>
        <translation>每次扫描被接受、警告或拒绝时发出提示音（颜色和文字始终显示）。</translation>
    </message>
    <message>
        <source>A sync round runs after each new event and at least this often.</source>
        <translation>每个新事件之后都会运行一轮同步，且至少按此间隔运行一次。</translation>
    </message>
    <message>
        <source>After this many days a secret must be changed before the user can sign in; 0: never.</source>
        <translation>经过此天数后，用户必须先更改密钥才能登录；0：永不过期。</translation>
    </message>
    <message>
        <source>Also try pyzbar when zxing-cpp finds nothing (1D and QR only; needs the zbar library).</source>
        <translation>zxing-cpp 未识别到任何内容时也尝试 pyzbar（仅限一维码和 QR 码；需要 zbar 库）。</translation>
    </message>
    <message>
        <source>As for GS, for the EOT ending ISO/IEC 15434 codes.</source>
        <translation>与 GS 相同，用于结束 ISO/IEC 15434 代码的 EOT。</translation>
    </message>
    <message>
        <source>As for GS, for the RS of ISO/IEC 15434 codes.</source>
        <translation>与 GS 相同，用于 ISO/IEC 15434 代码中的 RS。</translation>
    </message>
    <message>
        <source>Back up after (events)</source>
        <translation>备份间隔（事件数）</translation>
    </message>
    <message>
        <source>Back up every (minutes)</source>
        <translation>备份间隔（分钟）</translation>
    </message>
    <message>
        <source>Backups kept</source>
        <translation>保留的备份数</translation>
    </message>
    <message>
        <source>Barcode formats read by the camera</source>
        <translation>摄像头读取的条码格式</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Bytes the scanner sends after each code, before the end of scan, removed when present; written as for the prefix (\x03 is ETX).</source>
        <translation>扫描器在每个代码之后、扫描结束符之前发送的字节，存在时将被去除；写法与前缀相同（\x03 即 ETX）。</translation>
    </message>
    <message>
        <source>Bytes the scanner sends before each code, removed when present. Write control bytes as \xHH (\x02 is STX); \r, \n, \t and \\ also work. Empty: none.</source>
        <translation>扫描器在每个代码之前发送的字节，存在时将被去除。控制字节写作 \xHH（\x02 即 STX）；也可使用 \r、\n、\t 和 \\。留空：无。</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Camera height (pixels)</source>
        <translation>摄像头高度（像素）</translation>
    </message>
    <message>
        <source>Camera source</source>
        <translation>摄像头来源</translation>
    </message>
    <message>
        <source>Camera width (pixels)</source>
        <translation>摄像头宽度（像素）</translation>
    </message>
    <message>
        <source>Clock difference warning (s)</source>
        <translation>时钟偏差警告（秒）</translation>
    </message>
    <message>
        <source>Company CA certificate</source>
        <translation>公司 CA 证书</translation>
    </message>
    <message>
        <source>Consecutive wrong PINs or passwords that lock a user until someone allowed to manage users unlocks it (P11-U7).</source>
        <translation>连续输错 PIN 或密码达到此次数将锁定用户，直到有权管理用户的人员解锁（P11-U7）。</translation>
    </message>
    <message>
        <source>ERP address</source>
        <translation>ERP 地址</translation>
    </message>
    <message>
        <source>ERP connection</source>
        <translation>ERP 连接方式</translation>
    </message>
    <message>
        <source>End of scan (serial)</source>
        <translation>扫描结束符（串口）</translation>
    </message>
    <message>
        <source>Extension digit and GS1 company prefix for new SSCCs made at packing (e.g. 36901234); empty: packing only scans SSCC labels printed elsewhere.</source>
        <translation>包装时新建 SSCC 所用的扩展位和 GS1 厂商识别代码（例如 36901234）；留空：包装时只扫描别处打印的 SSCC 标签。</translation>
    </message>
    <message>
        <source>Failed sign-ins per minute (station)</source>
        <translation>每分钟失败登录次数（工作站）</translation>
    </message>
    <message>
        <source>Failures before the account locks</source>
        <translation>账户锁定前的失败次数</translation>
    </message>
    <message>
        <source>Fewer fast keys than this are taken as typing and passed on to the screen.</source>
        <translation>快速按键少于此数量时视为人工键入，并交给当前界面。</translation>
    </message>
    <message>
        <source>Fewer formats read faster. Add others (e.g. Code39, DataBar, EAN13) only where labels need them.</source>
        <translation>格式越少读取越快。仅在标签需要时才添加其他格式（例如 Code39、DataBar、EAN13）。</translation>
    </message>
    <message>
        <source>For a device, its number (0 is the first camera; empty means 0) or a stream URL; for the simulated camera, an image file, a folder of images or a video file.</source>
        <translation>对于设备：其编号（0 为第一个摄像头；留空即 0）或视频流 URL；对于模拟摄像头：一个图像文件、一个图像文件夹或一个视频文件。</translation>
    </message>
    <message>
        <source>How many verified copies to keep in the backup folder; older ones are deleted.</source>
        <translation>备份文件夹中保留多少份已校验的副本；更早的副本会被删除。</translation>
    </message>
    <message>
        <source>How often master data (and revoked users) is pulled while the station runs.</source>
        <translation>工作站运行期间拉取主数据（以及已撤销用户）的频率。</translation>
    </message>
    <message>
        <source>How the scanner is connected. &apos;keyboard&apos;: a scanner that types (USB keyboard wedge, works with no setup); &apos;serial&apos;: a serial or USB-CDC (virtual COM port) scanner, see the port settings; &apos;simulated&apos;: the built-in simulator; &apos;none&apos;: no scanner, keys are never taken as scans. The keyboard wedge also listens with &apos;serial&apos; and &apos;simulated&apos;. The demo always uses the simulator.</source>
        <translation>扫描器的连接方式。“keyboard”：以键盘方式输入的扫描器（USB 键盘楔形，无需设置即可使用）；“serial”：串口或 USB-CDC（虚拟 COM 端口）扫描器，见串口设置；“simulated”：内置模拟器；“none”：无扫描器，按键绝不会被当作扫描。使用 “serial” 和 “simulated” 时键盘楔形也在监听。演示模式始终使用模拟器。</translation>
    </message>
    <message>
        <source>Ignore the same code again for (ms)</source>
        <translation>同一代码的忽略时间（毫秒）</translation>
    </message>
    <message>
        <source>Key ending a scan (keyboard)</source>
        <translation>结束扫描的按键（键盘）</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Longer input is refused unread.</source>
        <translation>更长的输入不经读取即被拒绝。</translation>
    </message>
    <message>
        <source>Longest pause between scanner keys (ms)</source>
        <translation>扫描器按键的最长间隔（毫秒）</translation>
    </message>
    <message>
        <source>Longest scan accepted (bytes)</source>
        <translation>可接受的最长扫描（字节）</translation>
    </message>
    <message>
        <source>Longest session (hours)</source>
        <translation>最长会话时间（小时）</translation>
    </message>
    <message>
        <source>More failed sign-ins than this within a minute, for any users, make the station refuse sign-ins until the minute has passed (AUTH-3).</source>
        <translation>一分钟内（任何用户）登录失败超过此次数时，工作站将拒绝登录，直到这一分钟过去（AUTH-3）。</translation>
    </message>
    <message>
        <source>PIN and password expiry (days)</source>
        <translation>PIN 和密码有效期（天）</translation>
    </message>
    <message>
        <source>Pause that ends a scan (ms, serial)</source>
        <translation>结束扫描的停顿（毫秒，串口）</translation>
    </message>
    <message>
        <source>Pause that ends a typed scan (ms)</source>
        <translation>结束键入扫描的停顿（毫秒）</translation>
    </message>
    <message>
        <source>Prefix removed (serial)</source>
        <translation>去除的前缀（串口）</translation>
    </message>
    <message>
        <source>Products, suppliers, orders, inspection plans and users come from the ERP&apos;s master-data feed (GET /sync/master/…) when the connector is &apos;epcis&apos;.</source>
        <translation>连接方式为 “epcis” 时，产品、供应商、订单、检验方案和用户来自 ERP 的主数据源（GET /sync/master/…）。</translation>
    </message>
    <message>
        <source>Pull master data every (s)</source>
        <translation>主数据拉取间隔（秒）</translation>
    </message>
    <message>
        <source>Pull master data from the ERP</source>
        <translation>从 ERP 拉取主数据</translation>
    </message>
    <message>
        <source>RS-232 scanners must match the scanner&apos;s setting; USB virtual COM ports ignore it.</source>
        <translation>RS-232 扫描器必须与扫描器的设置一致；USB 虚拟 COM 端口会忽略此项。</translation>
    </message>
    <message>
        <source>Requested frame height; the camera may choose the nearest size it supports.</source>
        <translation>请求的画面高度；摄像头可能选择其支持的最接近尺寸。</translation>
    </message>
    <message>
        <source>Requested frame width; the camera may choose the nearest size it supports.</source>
        <translation>请求的画面宽度；摄像头可能选择其支持的最接近尺寸。</translation>
    </message>
    <message>
        <source>SSCC prefix</source>
        <translation>SSCC 前缀</translation>
    </message>
    <message>
        <source>SSCC serial reference block</source>
        <translation>SSCC 系列参考号段</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>扫描器</translation>
    </message>
    <message>
        <source>Scheduled backup folder</source>
        <translation>定时备份文件夹</translation>
    </message>
    <message>
        <source>Second reader (pyzbar)</source>
        <translation>第二识读器（pyzbar）</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>Shortest scan typed (keys)</source>
        <translation>键入扫描的最短长度（按键数）</translation>
    </message>
    <message>
        <source>Sign out after idle (minutes)</source>
        <translation>空闲后退出登录（分钟）</translation>
    </message>
    <message>
        <source>Silence after the last scanner key that ends a scan with no end key (&apos;none&apos;), or abandons an unfinished one. Must be longer than the pause between scanner keys.</source>
        <translation>最后一个扫描器按键之后的静默时间：超过它即结束没有结束键（“none”）的扫描，或放弃未完成的扫描。必须长于扫描器按键之间的间隔。</translation>
    </message>
    <message>
        <source>Silence after which a scan counts as complete; 0 turns it off. Needed when the end of scan is &apos;none&apos; (50–200 ms suits most scanners); it must be longer than any pause the scanner makes inside one code.</source>
        <translation>静默超过此时间即视为扫描完成；0 表示关闭。扫描结束符为 “none” 时必需（50–200 毫秒适合大多数扫描器）；它必须长于扫描器在一个代码内部的任何停顿。</translation>
    </message>
    <message>
        <source>Sounds</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>Station code</source>
        <translation>工作站代码</translation>
    </message>
    <message>
        <source>Station database</source>
        <translation>工作站数据库</translation>
    </message>
    <message>
        <source>Suffix removed (serial)</source>
        <translation>去除的后缀（串口）</translation>
    </message>
    <message>
        <source>Sync at least every (s)</source>
        <translation>同步间隔上限（秒）</translation>
    </message>
    <message>
        <source>Text a keyboard-wedge scanner types instead of the invisible GS character. Choose text that can never be data (outside GS1 character set 82), such as {GS} or ^].</source>
        <translation>键盘楔形扫描器代替不可见的 GS 字符键入的文本。请选择绝不会作为数据出现的文本（不在 GS1 字符集 82 之内），例如 {GS} 或 ^]。</translation>
    </message>
    <message>
        <source>The centre&apos;s base URL (https://…; http:// only for this computer, e.g. station erp-sim). The API token is kept in the computer&apos;s keyring (station sync login), never here.</source>
        <translation>中心的基础 URL（https://…；http:// 仅限本计算机，例如 station erp-sim）。API 令牌保存在计算机的密钥环中（station sync login），绝不保存在这里。</translation>
    </message>
    <message>
        <source>The key the scanner types after each code: &apos;enter&apos; (the usual factory setting), &apos;tab&apos;, or &apos;none&apos; when the scanner sends no suffix: then a pause ends the scan.</source>
        <translation>扫描器在每个代码后键入的按键：“enter”（通常的出厂设置）、“tab”，或扫描器不发送后缀时为 “none”：此时由停顿结束扫描。</translation>
    </message>
    <message>
        <source>The longest time between two scheduled backups.</source>
        <translation>两次定时备份之间的最长时间。</translation>
    </message>
    <message>
        <source>The scanner&apos;s port, e.g. COM3 or /dev/ttyACM0; prefer a stable name such as /dev/serial/by-id/…, which survives plugging into another USB socket. Required when the scanner is &apos;serial&apos;.</source>
        <translation>扫描器的端口，例如 COM3 或 /dev/ttyACM0；建议使用稳定的名称，例如 /dev/serial/by-id/…，插到另一个 USB 接口后仍然有效。扫描器为 “serial” 时必填。</translation>
    </message>
    <message>
        <source>The serial references this station may use for new SSCCs, FIRST-LAST (e.g. 1-4999999); give every station that shares the SSCC prefix its own block, so no two make the same SSCC. Empty: the whole range (only when no other station uses the prefix).</source>
        <translation>本站生成新 SSCC 可用的系列参考号范围，格式为“起始-结束”（例如 1-4999999）；共用同一 SSCC 前缀的每个工作站须各用一个号段，以免生成相同的 SSCC。留空：使用整个范围（仅当没有其他工作站使用该前缀时）。</translation>
    </message>
    <message>
        <source>The station&apos;s SQLite file on a local disk. Empty: station.sqlite in the user&apos;s data folder (shown by &apos;station diagnostics&apos;). Never a network share (the station refuses one).</source>
        <translation>工作站在本地磁盘上的 SQLite 文件。留空：用户数据文件夹中的 station.sqlite（“station diagnostics” 会显示其位置）。绝不能放在网络共享上（工作站会拒绝）。</translation>
    </message>
    <message>
        <source>This station&apos;s code in the master data (a location such as GI-01); it names the station in every event. Empty: the computer&apos;s name.</source>
        <translation>本工作站在主数据中的代码（一个位置，例如 GI-01）；每个事件都以它标明工作站。留空：使用计算机名称。</translation>
    </message>
    <message>
        <source>Typed stand-ins for EOT</source>
        <translation>EOT 的键入替代文本</translation>
    </message>
    <message>
        <source>Typed stand-ins for the GS separator</source>
        <translation>GS 分隔符的键入替代文本</translation>
    </message>
    <message>
        <source>Typed stand-ins for the RS separator</source>
        <translation>RS 分隔符的键入替代文本</translation>
    </message>
    <message>
        <source>User interface language; &apos;system&apos; follows the computer&apos;s setting.</source>
        <translation>用户界面语言；“system” 表示跟随计算机的设置。</translation>
    </message>
    <message>
        <source>Users from the ERP: longest without an update (hours)</source>
        <translation>来自 ERP 的用户：最长未更新时间（小时）</translation>
    </message>
    <message>
        <source>Warn (and log an incident) when the station clock and the ERP&apos;s differ by more.</source>
        <translation>工作站时钟与 ERP 时钟相差超过此值时发出警告（并记录事件）。</translation>
    </message>
    <message>
        <source>What the scanner sends after each code: &apos;auto&apos; accepts CR, LF or CR LF; &apos;cr&apos;, &apos;lf&apos; or &apos;crlf&apos; accept only that one; &apos;none&apos; relies on a pause (set the pause below).</source>
        <translation>扫描器在每个代码后发送的内容：“auto” 接受 CR、LF 或 CR LF；“cr”、“lf” 或 “crlf” 只接受对应的一种；“none” 依靠停顿结束（请在下方设置停顿时间）。</translation>
    </message>
    <message>
        <source>When users come from the ERP and the last successful master-data pull is older than this, a sign-in also needs a supervisor&apos;s PIN (revocations may be missing, P11-U6); 0: no limit.</source>
        <translation>当用户来自 ERP 且最近一次成功的主数据拉取早于此时间时，登录还需要主管的 PIN（撤销信息可能缺失，P11-U6）；0：不限制。</translation>
    </message>
    <message>
        <source>Where the station copies its database on a schedule; empty turns scheduled backups off. It must be on separate media (another disk, a USB drive or a network share), never the disk that holds the database: a copy on the same disk is lost with it.</source>
        <translation>工作站按计划复制其数据库的位置；留空则关闭定时备份。它必须位于独立的介质上（另一块磁盘、U 盘或网络共享），绝不能是存放数据库的磁盘：同一磁盘上的副本会随之一起丢失。</translation>
    </message>
</context>
<context>
    <name>udi.field</name>
    <message>
        <source>ACTIVE POTENCY</source>
        <translation>活性效价</translation>
    </message>
    <message>
        <source>ADDITIONAL ID</source>
        <translation>附加产品标识</translation>
    </message>
    <message>
        <source>AIDC MEDIA TYPE</source>
        <translation>自动识别载体类型</translation>
    </message>
    <message>
        <source>AMOUNT</source>
        <translation>应付金额</translation>
    </message>
    <message>
        <source>AQUATIC SPECIES</source>
        <translation>水产品种</translation>
    </message>
    <message>
        <source>AREA (ft²)</source>
        <translation>面积（平方英尺）</translation>
    </message>
    <message>
        <source>AREA (ft²), log</source>
        <translation>物流面积（平方英尺）</translation>
    </message>
    <message>
        <source>AREA (in²)</source>
        <translation>面积（平方英寸）</translation>
    </message>
    <message>
        <source>AREA (in²), log</source>
        <translation>物流面积（平方英寸）</translation>
    </message>
    <message>
        <source>AREA (m²)</source>
        <translation>面积（平方米）</translation>
    </message>
    <message>
        <source>AREA (m²), log</source>
        <translation>物流面积（平方米）</translation>
    </message>
    <message>
        <source>AREA (yd²)</source>
        <translation>面积（平方码）</translation>
    </message>
    <message>
        <source>AREA (yd²), log</source>
        <translation>物流面积（平方码）</translation>
    </message>
    <message>
        <source>AUTH TO LEAVE</source>
        <translation>授权无人签收放置</translation>
    </message>
    <message>
        <source>BABY</source>
        <translation>婴儿</translation>
    </message>
    <message>
        <source>BATCH/LOT</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>BEST BEFORE or BEST BY</source>
        <translation>最佳食用日期</translation>
    </message>
    <message>
        <source>BILL TO</source>
        <translation>受票方（GLN）</translation>
    </message>
    <message>
        <source>BIO SEX</source>
        <translation>生理性别</translation>
    </message>
    <message>
        <source>BIRTH SEQUENCE</source>
        <translation>出生顺序</translation>
    </message>
    <message>
        <source>Blood groups</source>
        <translation>血型</translation>
    </message>
    <message>
        <source>CATCH AREA</source>
        <translation>捕捞区域</translation>
    </message>
    <message>
        <source>CERT # 1</source>
        <translation>认证参考号 1</translation>
    </message>
    <message>
        <source>CERT # 10</source>
        <translation>认证参考号 10</translation>
    </message>
    <message>
        <source>CERT # 2</source>
        <translation>认证参考号 2</translation>
    </message>
    <message>
        <source>CERT # 3</source>
        <translation>认证参考号 3</translation>
    </message>
    <message>
        <source>CERT # 4</source>
        <translation>认证参考号 4</translation>
    </message>
    <message>
        <source>CERT # 5</source>
        <translation>认证参考号 5</translation>
    </message>
    <message>
        <source>CERT # 6</source>
        <translation>认证参考号 6</translation>
    </message>
    <message>
        <source>CERT # 7</source>
        <translation>认证参考号 7</translation>
    </message>
    <message>
        <source>CERT # 8</source>
        <translation>认证参考号 8</translation>
    </message>
    <message>
        <source>CERT # 9</source>
        <translation>认证参考号 9</translation>
    </message>
    <message>
        <source>CMT No.</source>
        <translation>移动电话电子序列号</translation>
    </message>
    <message>
        <source>CONTENT</source>
        <translation>所含贸易项目的 GTIN</translation>
    </message>
    <message>
        <source>COUNT</source>
        <translation>所含贸易项目数量</translation>
    </message>
    <message>
        <source>COUNTRY - DISASSEMBLY</source>
        <translation>拆分国家</translation>
    </message>
    <message>
        <source>COUNTRY - FULL PROCESS</source>
        <translation>全程加工国家</translation>
    </message>
    <message>
        <source>COUNTRY - INITIAL PROCESS</source>
        <translation>初加工国家</translation>
    </message>
    <message>
        <source>COUNTRY - PROCESS</source>
        <translation>加工国家</translation>
    </message>
    <message>
        <source>CPID</source>
        <translation>组件/部件标识（CPID）</translation>
    </message>
    <message>
        <source>CPID SERIAL</source>
        <translation>组件/部件序列号</translation>
    </message>
    <message>
        <source>CPV</source>
        <translation>消费品变体</translation>
    </message>
    <message>
        <source>CUST. PART No.</source>
        <translation>客户零件号</translation>
    </message>
    <message>
        <source>Check character</source>
        <translation>校验字符</translation>
    </message>
    <message>
        <source>Check character (mod 43)</source>
        <translation>校验字符（模 43）</translation>
    </message>
    <message>
        <source>Code type</source>
        <translation>代码类型</translation>
    </message>
    <message>
        <source>Collection date</source>
        <translation>采集日期</translation>
    </message>
    <message>
        <source>Collection date and time</source>
        <translation>采集日期和时间</translation>
    </message>
    <message>
        <source>Compound message</source>
        <translation>复合信息</translation>
    </message>
    <message>
        <source>Container lot number</source>
        <translation>容器批号</translation>
    </message>
    <message>
        <source>Container manufacturer and catalogue number (udi-di)</source>
        <translation>容器制造商和目录号（UDI-DI）</translation>
    </message>
    <message>
        <source>Country code</source>
        <translation>国家代码</translation>
    </message>
    <message>
        <source>DANGEROUS GOODS</source>
        <translation>危险品标志</translation>
    </message>
    <message>
        <source>DIGSIG</source>
        <translation>数字签名</translation>
    </message>
    <message>
        <source>DIMENSIONS</source>
        <translation>卷状产品尺寸</translation>
    </message>
    <message>
        <source>DOB</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>DOB TIME</source>
        <translation>出生日期和时间</translation>
    </message>
    <message>
        <source>DUE DATE</source>
        <translation>付款截止日期</translation>
    </message>
    <message>
        <source>Date format flag</source>
        <translation>日期格式标志</translation>
    </message>
    <message>
        <source>Device identifier (MA)</source>
        <translation>产品标识（MA 码）</translation>
    </message>
    <message>
        <source>Donation identification number (din)</source>
        <translation>献血识别号（DIN）</translation>
    </message>
    <message>
        <source>ESIM</source>
        <translation>嵌入式 SIM 标识（eSIM）</translation>
    </message>
    <message>
        <source>EXPIRY TIME</source>
        <translation>失效日期和时间</translation>
    </message>
    <message>
        <source>Expiration date</source>
        <translation>失效日期</translation>
    </message>
    <message>
        <source>Expiration date and time</source>
        <translation>失效日期和时间</translation>
    </message>
    <message>
        <source>Expiry date</source>
        <translation>失效日期</translation>
    </message>
    <message>
        <source>Expiry date (14D)</source>
        <translation>失效日期（14D）</translation>
    </message>
    <message>
        <source>FAMILY NAME</source>
        <translation>姓</translation>
    </message>
    <message>
        <source>FIRST FREEZE DATE</source>
        <translation>首次冷冻日期</translation>
    </message>
    <message>
        <source>FISHING GEAR TYPE</source>
        <translation>渔具类型</translation>
    </message>
    <message>
        <source>FULL NAME</source>
        <translation>全名</translation>
    </message>
    <message>
        <source>FUNC STAT</source>
        <translation>功能状态</translation>
    </message>
    <message>
        <source>GCN</source>
        <translation>全球优惠券代码（GCN）</translation>
    </message>
    <message>
        <source>GDTI</source>
        <translation>全球文件类型标识（GDTI）</translation>
    </message>
    <message>
        <source>GIAI</source>
        <translation>全球单个资产代码（GIAI）</translation>
    </message>
    <message>
        <source>GIAI - ASSEMBLY</source>
        <translation>组件的全球单个资产代码（GIAI）</translation>
    </message>
    <message>
        <source>GINC</source>
        <translation>全球托运标识代码（GINC）</translation>
    </message>
    <message>
        <source>GIVEN NAME</source>
        <translation>名</translation>
    </message>
    <message>
        <source>GLN EXTENSION COMPONENT</source>
        <translation>GLN 扩展部分</translation>
    </message>
    <message>
        <source>GMN</source>
        <translation>全球型号（GMN）</translation>
    </message>
    <message>
        <source>GRAI</source>
        <translation>全球可回收资产代码（GRAI）</translation>
    </message>
    <message>
        <source>GROSS WEIGHT (kg)</source>
        <translation>毛重（千克）</translation>
    </message>
    <message>
        <source>GROSS WEIGHT (lb)</source>
        <translation>毛重（磅）</translation>
    </message>
    <message>
        <source>GSIN</source>
        <translation>全球货运标识代码（GSIN）</translation>
    </message>
    <message>
        <source>GSRN - PROVIDER</source>
        <translation>服务提供方的全球服务关系代码</translation>
    </message>
    <message>
        <source>GSRN - RECIPIENT</source>
        <translation>服务接受方的全球服务关系代码</translation>
    </message>
    <message>
        <source>GTIN</source>
        <translation>全球贸易项目代码（GTIN）</translation>
    </message>
    <message>
        <source>HARVEST DATE</source>
        <translation>收获日期</translation>
    </message>
    <message>
        <source>HEIGHT (ft)</source>
        <translation>高度（英尺）</translation>
    </message>
    <message>
        <source>HEIGHT (ft), log</source>
        <translation>物流高度（英尺）</translation>
    </message>
    <message>
        <source>HEIGHT (in)</source>
        <translation>高度（英寸）</translation>
    </message>
    <message>
        <source>HEIGHT (in), log</source>
        <translation>物流高度（英寸）</translation>
    </message>
    <message>
        <source>HEIGHT (m)</source>
        <translation>高度（米）</translation>
    </message>
    <message>
        <source>HEIGHT (m), log</source>
        <translation>物流高度（米）</translation>
    </message>
    <message>
        <source>HEIGHT (yd)</source>
        <translation>高度（码）</translation>
    </message>
    <message>
        <source>HEIGHT (yd), log</source>
        <translation>物流高度（码）</translation>
    </message>
    <message>
        <source>IBAN</source>
        <translation>国际银行账号（IBAN）</translation>
    </message>
    <message>
        <source>IMEI</source>
        <translation>国际移动设备识别码（IMEI）</translation>
    </message>
    <message>
        <source>IMEI2</source>
        <translation>第二国际移动设备识别码（IMEI2）</translation>
    </message>
    <message>
        <source>INTERNAL</source>
        <translation>企业内部信息</translation>
    </message>
    <message>
        <source>ITIP</source>
        <translation>贸易项目组件标识（ITIP）</translation>
    </message>
    <message>
        <source>ITIP CONTENT</source>
        <translation>所含贸易项目组件</translation>
    </message>
    <message>
        <source>KG PER m²</source>
        <translation>每平方米千克数</translation>
    </message>
    <message>
        <source>LENGTH (ft)</source>
        <translation>长度（英尺）</translation>
    </message>
    <message>
        <source>LENGTH (ft), log</source>
        <translation>物流长度（英尺）</translation>
    </message>
    <message>
        <source>LENGTH (in)</source>
        <translation>长度（英寸）</translation>
    </message>
    <message>
        <source>LENGTH (in), log</source>
        <translation>物流长度（英寸）</translation>
    </message>
    <message>
        <source>LENGTH (m)</source>
        <translation>长度（米）</translation>
    </message>
    <message>
        <source>LENGTH (m), log</source>
        <translation>物流长度（米）</translation>
    </message>
    <message>
        <source>LENGTH (yd)</source>
        <translation>长度（码）</translation>
    </message>
    <message>
        <source>LENGTH (yd), log</source>
        <translation>物流长度（码）</translation>
    </message>
    <message>
        <source>LOC No.</source>
        <translation>物理位置（GLN）</translation>
    </message>
    <message>
        <source>Labeler identification code (LIC)</source>
        <translation>标签商识别代码（LIC）</translation>
    </message>
    <message>
        <source>Link character (primary&apos;s check character)</source>
        <translation>链接字符（主数据的校验字符）</translation>
    </message>
    <message>
        <source>Lot number</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>MAX TEMP C.</source>
        <translation>最高温度（摄氏）</translation>
    </message>
    <message>
        <source>MAX TEMP F.</source>
        <translation>最高温度（华氏）</translation>
    </message>
    <message>
        <source>MEAT CUT</source>
        <translation>胴体与分割肉分类</translation>
    </message>
    <message>
        <source>MIN TEMP C.</source>
        <translation>最低温度（摄氏）</translation>
    </message>
    <message>
        <source>MIN TEMP F.</source>
        <translation>最低温度（华氏）</translation>
    </message>
    <message>
        <source>MTO GTIN</source>
        <translation>按订单定制的 GTIN</translation>
    </message>
    <message>
        <source>MTO VARIANT</source>
        <translation>按订单定制的变体号</translation>
    </message>
    <message>
        <source>MUDI</source>
        <translation>高度个性化器械注册标识（MUDI）</translation>
    </message>
    <message>
        <source>Manufacture date</source>
        <translation>生产日期</translation>
    </message>
    <message>
        <source>Manufacture date (16D)</source>
        <translation>生产日期（16D）</translation>
    </message>
    <message>
        <source>Mpho lot number</source>
        <translation>医用人源产品（MPHO）批号</translation>
    </message>
    <message>
        <source>NET VOLUME (ft³)</source>
        <translation>净体积（立方英尺）</translation>
    </message>
    <message>
        <source>NET VOLUME (gal.)</source>
        <translation>净体积（加仑（美制））</translation>
    </message>
    <message>
        <source>NET VOLUME (in³)</source>
        <translation>净体积（立方英寸）</translation>
    </message>
    <message>
        <source>NET VOLUME (l)</source>
        <translation>净体积（升）</translation>
    </message>
    <message>
        <source>NET VOLUME (m³)</source>
        <translation>净体积（立方米）</translation>
    </message>
    <message>
        <source>NET VOLUME (oz)</source>
        <translation>净体积（液量盎司）</translation>
    </message>
    <message>
        <source>NET VOLUME (qt (US))</source>
        <translation>净体积（夸脱（美制））</translation>
    </message>
    <message>
        <source>NET VOLUME (yd³)</source>
        <translation>净体积（立方码）</translation>
    </message>
    <message>
        <source>NET WEIGHT (kg)</source>
        <translation>净重（千克）</translation>
    </message>
    <message>
        <source>NET WEIGHT (lb)</source>
        <translation>净重（磅）</translation>
    </message>
    <message>
        <source>NET WEIGHT (tr oz)</source>
        <translation>净重（金衡盎司）</translation>
    </message>
    <message>
        <source>NHRN AIC</source>
        <translation>国家医保报销编号（意大利 AIC）</translation>
    </message>
    <message>
        <source>NHRN AIM</source>
        <translation>国家医保报销编号（葡萄牙 AIM）</translation>
    </message>
    <message>
        <source>NHRN CIP</source>
        <translation>国家医保报销编号（法国 CIP）</translation>
    </message>
    <message>
        <source>NHRN CN</source>
        <translation>国家医保报销编号（西班牙 CN）</translation>
    </message>
    <message>
        <source>NHRN DRN</source>
        <translation>国家医保报销编号（巴西 DRN）</translation>
    </message>
    <message>
        <source>NHRN NDC</source>
        <translation>国家医保报销编号（美国 NDC）</translation>
    </message>
    <message>
        <source>NHRN PZN</source>
        <translation>国家医保报销编号（德国 PZN）</translation>
    </message>
    <message>
        <source>NHRN SRN</source>
        <translation>国家医保报销编号（SRN）</translation>
    </message>
    <message>
        <source>NOT AFT DEL DT</source>
        <translation>最晚送达日期</translation>
    </message>
    <message>
        <source>NOT BEF DEL DT</source>
        <translation>最早送达日期</translation>
    </message>
    <message>
        <source>NSN</source>
        <translation>北约物资编号（NSN）</translation>
    </message>
    <message>
        <source>OPTSEN</source>
        <translation>光学可读传感器指示</translation>
    </message>
    <message>
        <source>ORDER NUMBER</source>
        <translation>客户订单号</translation>
    </message>
    <message>
        <source>ORIGIN</source>
        <translation>原产国</translation>
    </message>
    <message>
        <source>ORIGIN SUBDIVISION</source>
        <translation>原产地行政区划</translation>
    </message>
    <message>
        <source>PACK DATE</source>
        <translation>包装日期</translation>
    </message>
    <message>
        <source>PARTY</source>
        <translation>参与方（GLN）</translation>
    </message>
    <message>
        <source>PAY TO</source>
        <translation>开票方（GLN）</translation>
    </message>
    <message>
        <source>PCN</source>
        <translation>包装组件编号</translation>
    </message>
    <message>
        <source>PERSON ADDR</source>
        <translation>个人地址</translation>
    </message>
    <message>
        <source>POINTS</source>
        <translation>忠诚积分</translation>
    </message>
    <message>
        <source>PPN (Pharmacy Product Number)</source>
        <translation>PPN（药品产品编号）</translation>
    </message>
    <message>
        <source>PRCNT OFF</source>
        <translation>优惠百分比</translation>
    </message>
    <message>
        <source>PRICE</source>
        <translation>应付金额（变量贸易项目）</translation>
    </message>
    <message>
        <source>PRICE PER UNIT</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>PRICE/UoM</source>
        <translation>每计量单位应付金额</translation>
    </message>
    <message>
        <source>PROCESSOR # 0</source>
        <translation>加工者批准号 0</translation>
    </message>
    <message>
        <source>PROCESSOR # 1</source>
        <translation>加工者批准号 1</translation>
    </message>
    <message>
        <source>PROCESSOR # 2</source>
        <translation>加工者批准号 2</translation>
    </message>
    <message>
        <source>PROCESSOR # 3</source>
        <translation>加工者批准号 3</translation>
    </message>
    <message>
        <source>PROCESSOR # 4</source>
        <translation>加工者批准号 4</translation>
    </message>
    <message>
        <source>PROCESSOR # 5</source>
        <translation>加工者批准号 5</translation>
    </message>
    <message>
        <source>PROCESSOR # 6</source>
        <translation>加工者批准号 6</translation>
    </message>
    <message>
        <source>PROCESSOR # 7</source>
        <translation>加工者批准号 7</translation>
    </message>
    <message>
        <source>PROCESSOR # 8</source>
        <translation>加工者批准号 8</translation>
    </message>
    <message>
        <source>PROCESSOR # 9</source>
        <translation>加工者批准号 9</translation>
    </message>
    <message>
        <source>PROD DATE</source>
        <translation>生产日期</translation>
    </message>
    <message>
        <source>PROD METHOD</source>
        <translation>生产方式</translation>
    </message>
    <message>
        <source>PROD TIME</source>
        <translation>生产日期和时间</translation>
    </message>
    <message>
        <source>PROD/SERV LOC</source>
        <translation>生产或服务地点（GLN）</translation>
    </message>
    <message>
        <source>PRODUCT URL</source>
        <translation>扩展包装网址</translation>
    </message>
    <message>
        <source>PROTOCOL</source>
        <translation>协议编号</translation>
    </message>
    <message>
        <source>PSIM</source>
        <translation>实体 SIM 标识</translation>
    </message>
    <message>
        <source>PURCHASE FROM</source>
        <translation>供货方（GLN）</translation>
    </message>
    <message>
        <source>Processor product identification code (udi-di)</source>
        <translation>加工者产品识别代码（UDI-DI）</translation>
    </message>
    <message>
        <source>Product code</source>
        <translation>产品代码</translation>
    </message>
    <message>
        <source>Product divisions (serial number)</source>
        <translation>产品分装号（序列号）</translation>
    </message>
    <message>
        <source>Product or catalogue number (PCN)</source>
        <translation>产品或目录号（PCN）</translation>
    </message>
    <message>
        <source>Production date</source>
        <translation>生产日期</translation>
    </message>
    <message>
        <source>Production date and time</source>
        <translation>生产日期和时间</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Quantity (Q)</source>
        <translation>数量（Q）</translation>
    </message>
    <message>
        <source>REF No.</source>
        <translation>付款单参考号</translation>
    </message>
    <message>
        <source>REF. TO SOURCE</source>
        <translation>源实体参考代码</translation>
    </message>
    <message>
        <source>REFURB LOT</source>
        <translation>翻新批号</translation>
    </message>
    <message>
        <source>REL DATE</source>
        <translation>放行日期</translation>
    </message>
    <message>
        <source>REV STAT</source>
        <translation>修订状态</translation>
    </message>
    <message>
        <source>ROUTE</source>
        <translation>路径代码</translation>
    </message>
    <message>
        <source>RTN TO ADD1</source>
        <translation>退货方地址（第 1 行）</translation>
    </message>
    <message>
        <source>RTN TO ADD2</source>
        <translation>退货方地址（第 2 行）</translation>
    </message>
    <message>
        <source>RTN TO COMP</source>
        <translation>退货方公司名称</translation>
    </message>
    <message>
        <source>RTN TO COUNTRY</source>
        <translation>退货方国家</translation>
    </message>
    <message>
        <source>RTN TO LOC</source>
        <translation>退货方城市</translation>
    </message>
    <message>
        <source>RTN TO NAME</source>
        <translation>退货方联系人</translation>
    </message>
    <message>
        <source>RTN TO PHONE</source>
        <translation>退货方电话</translation>
    </message>
    <message>
        <source>RTN TO POST</source>
        <translation>退货方邮政编码</translation>
    </message>
    <message>
        <source>RTN TO REG</source>
        <translation>退货方省/州</translation>
    </message>
    <message>
        <source>RTN TO SUB</source>
        <translation>退货方区县</translation>
    </message>
    <message>
        <source>Registrant code</source>
        <translation>注册人代码</translation>
    </message>
    <message>
        <source>SECONDARY SERIAL</source>
        <translation>第二序列号</translation>
    </message>
    <message>
        <source>SELL BY</source>
        <translation>销售截止日期</translation>
    </message>
    <message>
        <source>SERIAL</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>SHIP FOR LOC</source>
        <translation>最终收货方（GLN）</translation>
    </message>
    <message>
        <source>SHIP TO ADD1</source>
        <translation>收货方地址（第 1 行）</translation>
    </message>
    <message>
        <source>SHIP TO ADD2</source>
        <translation>收货方地址（第 2 行）</translation>
    </message>
    <message>
        <source>SHIP TO COMP</source>
        <translation>收货方公司名称</translation>
    </message>
    <message>
        <source>SHIP TO COUNTRY</source>
        <translation>收货方国家</translation>
    </message>
    <message>
        <source>SHIP TO GEO</source>
        <translation>收货方地理坐标</translation>
    </message>
    <message>
        <source>SHIP TO LOC</source>
        <translation>收货方位置</translation>
    </message>
    <message>
        <source>SHIP TO NAME</source>
        <translation>收货方联系人</translation>
    </message>
    <message>
        <source>SHIP TO PHONE</source>
        <translation>收货方电话</translation>
    </message>
    <message>
        <source>SHIP TO POST</source>
        <translation>收货方邮政编码</translation>
    </message>
    <message>
        <source>SHIP TO REG</source>
        <translation>收货方省/州</translation>
    </message>
    <message>
        <source>SHIP TO SUB</source>
        <translation>收货方区县</translation>
    </message>
    <message>
        <source>SIG REQUIRED</source>
        <translation>需要签收</translation>
    </message>
    <message>
        <source>SRIN</source>
        <translation>服务关系实例号（SRIN）</translation>
    </message>
    <message>
        <source>SRV DESCRIPTION</source>
        <translation>服务代码说明</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>系列货运包装箱代码（SSCC）</translation>
    </message>
    <message>
        <source>SUFFIX</source>
        <translation>姓名后缀</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <source>Sterilisation lot</source>
        <translation>灭菌批号</translation>
    </message>
    <message>
        <source>TEST BY DATE</source>
        <translation>检测截止日期</translation>
    </message>
    <message>
        <source>TPX</source>
        <translation>第三方控制的序列化扩展（TPX）</translation>
    </message>
    <message>
        <source>UFRGT UNIT TYPE</source>
        <translation>货运单元类型（UN/CEFACT）</translation>
    </message>
    <message>
        <source>UIC+EXT</source>
        <translation>铁路联盟代码及扩展（UIC）</translation>
    </message>
    <message>
        <source>USE BY or EXPIRY</source>
        <translation>失效日期</translation>
    </message>
    <message>
        <source>Unit of measure</source>
        <translation>计量单位</translation>
    </message>
    <message>
        <source>VAR. COUNT</source>
        <translation>可变数量</translation>
    </message>
    <message>
        <source>VARIANT</source>
        <translation>内部产品变体</translation>
    </message>
    <message>
        <source>VCN</source>
        <translation>版本控制号（VCN）</translation>
    </message>
    <message>
        <source>VERSION</source>
        <translation>软件版本</translation>
    </message>
    <message>
        <source>VOLUME (ft³), log</source>
        <translation>物流体积（立方英尺）</translation>
    </message>
    <message>
        <source>VOLUME (gal (US)), log</source>
        <translation>物流体积（加仑（美制））</translation>
    </message>
    <message>
        <source>VOLUME (in³), log</source>
        <translation>物流体积（立方英寸）</translation>
    </message>
    <message>
        <source>VOLUME (l), log</source>
        <translation>物流体积（升）</translation>
    </message>
    <message>
        <source>VOLUME (m³), log</source>
        <translation>物流体积（立方米）</translation>
    </message>
    <message>
        <source>VOLUME (qt (US)), log</source>
        <translation>物流体积（夸脱（美制））</translation>
    </message>
    <message>
        <source>VOLUME (yd³), log</source>
        <translation>物流体积（立方码）</translation>
    </message>
    <message>
        <source>Validity date</source>
        <translation>有效日期</translation>
    </message>
    <message>
        <source>WIDTH (ft)</source>
        <translation>宽度（英尺）</translation>
    </message>
    <message>
        <source>WIDTH (ft), log</source>
        <translation>物流宽度（英尺）</translation>
    </message>
    <message>
        <source>WIDTH (in)</source>
        <translation>宽度（英寸）</translation>
    </message>
    <message>
        <source>WIDTH (in), log</source>
        <translation>物流宽度（英寸）</translation>
    </message>
    <message>
        <source>WIDTH (m)</source>
        <translation>宽度（米）</translation>
    </message>
    <message>
        <source>WIDTH (m), log</source>
        <translation>物流宽度（米）</translation>
    </message>
    <message>
        <source>WIDTH (yd)</source>
        <translation>宽度（码）</translation>
    </message>
    <message>
        <source>WIDTH (yd), log</source>
        <translation>物流宽度（码）</translation>
    </message>
</context>
<context>
    <name>udi.issue</name>
    <message>
        <source>AI ({ai}) {title} appears more than once with the same value (character {at}); the repeat was ignored.</source>
        <translation>AI ({ai}) {title} 以相同的值出现了多次（第 {at} 个字符）；重复项已忽略。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} appears twice in the GS1 Digital Link (character {at}). The station cannot tell which value is right: set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 在 GS1 数字链接中出现了两次（第 {at} 个字符）。扫描站无法判断哪个值正确：请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} appears twice with different values (&apos;{first}&apos; and &apos;{second}&apos;, character {at}). The station cannot tell which is right: set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 出现了两次且值不同（「{first}」和「{second}」，第 {at} 个字符）。扫描站无法判断哪个正确：请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} contains a character that is not allowed: {reason} (character {at}; allowed: {allowed}). The code may be misread or mistyped. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 含有不允许的字符：{reason}（第 {at} 个字符；允许：{allowed}）。条码可能被误读或误输入。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} has no value (character {at}). An empty field is not allowed. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 没有值（第 {at} 个字符）。不允许空字段。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} has {length} characters, but needs {needed} (character {at}). The code may be cut short or misread. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 有 {length} 个字符，但需要 {needed} 个（第 {at} 个字符）。条码可能不完整或被误读。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} holds &apos;{value}&apos;, which breaks a GS1 rule: {reason} (character {at}). Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 的值为「{value}」，违反了 GS1 规则：{reason}（第 {at} 个字符）。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} holds &apos;{value}&apos;, which is not a valid time: {reason} (character {at}). Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 的值为「{value}」，不是有效时间：{reason}（第 {at} 个字符）。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} is not allowed in the query part of a GS1 Digital Link (character {at}). The link is encoded wrongly: report the label.</source>
        <translation>AI ({ai}) {title} 不允许出现在 GS1 数字链接的查询部分（第 {at} 个字符）。链接编码错误：请上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} is {length} characters long, but at most {limit} are allowed (character {at}).{hint} Do not accept this code. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 长 {length} 个字符，但最多允许 {limit} 个（第 {at} 个字符）。{hint}请勿接受此条码。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} must be part of the link&apos;s path after key ({key}), not of its query (character {at}). The link is encoded wrongly: report the label.</source>
        <translation>AI ({ai}) {title} 必须位于链接路径中标识代码 ({key}) 之后，而不是查询部分（第 {at} 个字符）。链接编码错误：请上报该标签。</translation>
    </message>
    <message>
        <source>AIs ({ai}) and ({other}) must not appear together in one code, but both are present. The label is encoded wrongly: set the item aside and report the label.</source>
        <translation>AI ({ai}) 和 ({other}) 不得出现在同一个条码中，但两者都存在。标签编码错误：请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>At character {at} the data &apos;{found}&apos; does not start with a GS1 Application Identifier the station knows, so the rest of the code ({rest} characters) could not be read. The code may be damaged or not GS1. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的数据「{found}」不是以扫描站已知的 GS1 应用标识符开头，因此条码的其余部分（{rest} 个字符）无法读取。条码可能已损坏或不是 GS1 条码。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>Read as GS1 from its content: the symbol was not marked as GS1 (no FNC1). Check the label printer&apos;s GS1 setting.</source>
        <translation>根据内容按 GS1 读取：该符号未标记为 GS1（无 FNC1）。请检查标签打印机的 GS1 设置。</translation>
    </message>
    <message>
        <source>Read from the printed text between asterisks (typed or pasted), not from a bar code.</source>
        <translation>读取的是星号之间的印刷文字（手工输入或粘贴），而不是条码。</translation>
    </message>
    <message>
        <source>Spaces or line breaks between bracketed elements were ignored (character {at}).</source>
        <translation>括号元素之间的空格或换行已忽略（第 {at} 个字符）。</translation>
    </message>
    <message>
        <source>The EAN/UPC barcode sent &apos;{found}&apos;, which is not a GTIN of {lengths} digits. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>EAN/UPC 条码发送了「{found}」，不是 {lengths} 位的 GTIN。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The GS1 prefix {prefix} of this {what} is not assigned to any GS1 member organisation in the station&apos;s prefix list. Check the number against the label; the list may be out of date.</source>
        <translation>此 {what} 的 GS1 前缀 {prefix} 在扫描站的前缀列表中未分配给任何 GS1 成员组织。请对照标签核对该编号；前缀列表可能已过时。</translation>
    </message>
    <message>
        <source>The GTIN in the query had {length} digits; it was read as the 14-digit GTIN {gtin}.</source>
        <translation>查询中的 GTIN 为 {length} 位；已按 14 位 GTIN {gtin} 读取。</translation>
    </message>
    <message>
        <source>The MA check character was not verified: no reliable public algorithm exists. Only the code&apos;s structure was checked.</source>
        <translation>MA 码的校验字符未经验证：没有可靠的公开算法。仅检查了条码结构。</translation>
    </message>
    <message>
        <source>The bracketed GS1 text cannot be read at character {at}: {reason}. Text must look like (01)04012345123456(10)LOT1, with a &apos;(&apos; inside a value written as &apos;\(&apos;. Check what was typed or pasted.</source>
        <translation>带括号的 GS1 文本在第 {at} 个字符处无法读取：{reason}。文本格式应如 (01)04012345123456(10)LOT1，值中的「(」须写作「\(」。请检查输入或粘贴的内容。</translation>
    </message>
    <message>
        <source>The check characters of AI ({ai}) {title} are wrong (expected {expected}, found {found}) at character {at}. The label may be misprinted or misread: scan again; if it repeats, set the item aside.</source>
        <translation>AI ({ai}) {title} 的校验字符错误（应为 {expected}，实际为 {found}），位于第 {at} 个字符。标签可能印刷错误或被误读：请重新扫描；如果问题重复出现，请将该物品隔离。</translation>
    </message>
    <message>
        <source>The code carries {count} GTINs (a multi-market pack); the first one is shown as the GTIN.</source>
        <translation>该条码含有 {count} 个 GTIN（多市场包装）；显示的是第一个 GTIN。</translation>
    </message>
    <message>
        <source>The code has no product code (9N PPN or 8P GTIN), so the product cannot be identified. Scan the pack&apos;s other code or report it.</source>
        <translation>该条码没有产品代码（9N PPN 或 8P GTIN），因此无法识别产品。请扫描包装上的其他条码或上报。</translation>
    </message>
    <message>
        <source>The code is marked as GS1 but holds no data after its separators. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>该条码标记为 GS1，但分隔符之后没有数据。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The envelope end ({missing}) is missing. Keyboard-wedge scanners often drop these characters; the data was read anyway. A serial (USB-CDC) scanner connection avoids this.</source>
        <translation>缺少信封结束符（{missing}）。键盘模拟式扫描枪常会丢失这些字符；数据仍已读取。使用串口（USB-CDC）连接扫描枪可避免此问题。</translation>
    </message>
    <message>
        <source>The envelope holds format {format}; the station reads format 06 (PPN and other data identifiers) and 05 (GS1) only. The code was not read.</source>
        <translation>该信封包含格式 {format}；扫描站只读取格式 06（PPN 及其他数据标识符）和 05（GS1）。该条码未被读取。</translation>
    </message>
    <message>
        <source>The path of this GS1 Digital Link has {found} after key ({key}), which GS1 does not allow (allowed: {allowed}). The link is encoded wrongly: report the label.</source>
        <translation>此 GS1 数字链接的路径在标识代码 ({key}) 之后为 {found}，GS1 不允许这样（允许：{allowed}）。链接编码错误：请上报该标签。</translation>
    </message>
    <message>
        <source>The query parameter &apos;{key}&apos; at character {at} looks like a GS1 Application Identifier but is not one. The link is encoded wrongly: report the label.</source>
        <translation>第 {at} 个字符处的查询参数「{key}」看似 GS1 应用标识符，但实际不是。链接编码错误：请上报该标签。</translation>
    </message>
    <message>
        <source>The query parameter &apos;{name}&apos; (character {at}) is not GS1 data and was ignored.</source>
        <translation>查询参数「{name}」（第 {at} 个字符）不是 GS1 数据，已忽略。</translation>
    </message>
    <message>
        <source>The scan contains a forbidden character ({name}) at position {index}. It was refused; no label carries this. Scan again or report the label.</source>
        <translation>扫描内容在第 {index} 位含有禁用字符（{name}）。已拒绝；正常标签不会包含该字符。请重新扫描或上报该标签。</translation>
    </message>
    <message>
        <source>The scan is empty: nothing was read. Scan again.</source>
        <translation>扫描内容为空：未读取到任何数据。请重新扫描。</translation>
    </message>
    <message>
        <source>The scan is longer than the {limit} characters allowed. It was not read; check the scanner is not sending several codes at once.</source>
        <translation>扫描内容超过允许的 {limit} 个字符，未读取；请检查扫描枪是否一次发送了多个条码。</translation>
    </message>
    <message>
        <source>The scan was not UTF-8 text; bytes were read one character each (Latin-1).</source>
        <translation>扫描内容不是 UTF-8 文本；已按每字节一个字符（Latin-1）读取。</translation>
    </message>
    <message>
        <source>The station could not read this code because of an internal error ({error}). The scan was kept; report it to support.</source>
        <translation>由于内部错误（{error}），扫描站无法读取此条码。扫描记录已保留；请报告技术支持。</translation>
    </message>
    <message>
        <source>The value of AI ({ai}) {title} decodes to a forbidden character (character {at}). The link is encoded wrongly: report the label.</source>
        <translation>AI ({ai}) {title} 的值解码后含有禁用字符（第 {at} 个字符）。链接编码错误：请上报该标签。</translation>
    </message>
    <message>
        <source>The {what} check digit is wrong (expected {expected}, found {found}) at character {at}. The label may be misprinted or misread: scan again; if it repeats, set the item aside.</source>
        <translation>{what} 校验位错误（应为 {expected}，实际为 {found}），位于第 {at} 个字符。标签可能印刷错误或被误读：请重新扫描；如果问题重复出现，请将该物品隔离。</translation>
    </message>
    <message>
        <source>A HIBC code starts with &apos;+&apos; and a labeler code (a letter) or secondary data (a digit or $), but character {at} is &apos;{char}&apos;. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>HIBC 条码以「+」开头，后接标签商代码（一个字母）或次级数据（数字或 $），但第 {at} 个字符为「{char}」。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>A digital signature (8030) needs a serialised key, but AI ({ai}) {title} has no serial component. The label is encoded wrongly: set the item aside and report the label.</source>
        <translation>数字签名（8030）需要带序列号的标识代码，但 AI ({ai}) {title} 没有序列号部分。标签编码错误：请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>A second format starts at character {at}; the station reads one format per envelope. Report the label.</source>
        <translation>第 {at} 个字符处开始了第二种格式；扫描站每个信封只读取一种格式。请上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} &apos;{value}&apos; ends with &apos;{tail}&apos;, which reads as {reading}: a separator (GS) may have been lost so that two fields ran together. Compare the {title_lower} with the text printed on the label before accepting it.</source>
        <translation>AI ({ai}) {title}「{value}」以「{tail}」结尾，可读作 {reading}：可能丢失了分隔符（GS），导致两个字段连在一起。接受前请将{title_lower}与标签上印刷的文字进行核对。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} holds &apos;{value}&apos;, which is not a valid date: {reason} (character {at}). Do not use this date; check the date printed on the label. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>AI ({ai}) {title} 的值为「{value}」，不是有效日期：{reason}（第 {at} 个字符）。请勿使用此日期；请核对标签上印刷的日期。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>AI ({ai}) {title} must appear together with {required}, but the code has none of them. The label&apos;s data is incomplete: if the label has a second barcode, scan it too; otherwise set the item aside.</source>
        <translation>AI ({ai}) {title} 必须与 {required} 一起出现，但条码中一个都没有。标签数据不完整：如果标签上有第二个条码，请一并扫描；否则请将该物品隔离。</translation>
    </message>
    <message>
        <source>An empty field (two separators in a row, or one at the end) at character {at} was skipped.</source>
        <translation>第 {at} 个字符处的空字段（连续两个分隔符，或末尾的分隔符）已跳过。</translation>
    </message>
    <message>
        <source>At character {at} an ISBT 128 data identifier (starting with = or &amp;) should begin, but the scan has &apos;{char}&apos;. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处应开始一个 ISBT 128 数据标识符（以 = 或 &amp; 开头），但扫描内容为「{char}」。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>Character {at} (&apos;{char}&apos;) cannot be part of a HIBC code, which uses only A-Z, 0-9, space and - . $ / + %. If it repeats, check the scanner&apos;s keyboard layout and Caps Lock. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符（「{char}」）不能出现在 HIBC 条码中，HIBC 只使用 A-Z、0-9、空格和 - . $ / + %。如果重复出现，请检查扫描枪的键盘布局和大写锁定。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>Data follows the end of the envelope at character {at}. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的信封结束符之后仍有数据。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>Data identifier {identifier} appears twice with different values (characters {first} and {at}). The station cannot tell which is right: set the item aside and report the label.</source>
        <translation>数据标识符 {identifier} 出现了两次且值不同（第 {first} 和第 {at} 个字符）。扫描站无法判断哪个正确：请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>Data identifier {identifier} at character {at} is not one the station interprets; its value is kept as it is.</source>
        <translation>第 {at} 个字符处的数据标识符 {identifier} 不在扫描站的解读范围内；其值按原样保留。</translation>
    </message>
    <message>
        <source>If this web address is a compressed GS1 Digital Link, the station cannot read that form yet: scan the label&apos;s GS1 DataMatrix or ask the supplier for an uncompressed link.</source>
        <translation>如果此网址是压缩形式的 GS1 数字链接，扫描站暂时无法读取该形式：请扫描标签上的 GS1 DataMatrix 码，或向供应商索取未压缩的链接。</translation>
    </message>
    <message>
        <source>Segment .{mark} at character {at} contradicts the value at character {first}. The station cannot tell which is right: set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的数据段 .{mark} 与第 {first} 个字符处的值相矛盾。扫描站无法判断哪个正确：请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>Segment .{mark} at character {at} holds &apos;{value}&apos;; MA values are letters, digits, - and _. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的数据段 .{mark} 的值为「{value}」；MA 码的值只能是字母、数字、- 和 _。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>Segment .{mark} at character {at} is not one the station interprets; it is kept as it is.</source>
        <translation>第 {at} 个字符处的数据段 .{mark} 不在扫描站的解读范围内；按原样保留。</translation>
    </message>
    <message>
        <source>Supplemental data &apos;{value}&apos; at character {at} is not one the station interprets (14D, 16D, S, Q); it is kept as it is.</source>
        <translation>第 {at} 个字符处的补充数据「{value}」不在扫描站的解读范围内（14D、16D、S、Q）；按原样保留。</translation>
    </message>
    <message>
        <source>The GTIN check digit is wrong (expected {expected}, found {found}) at character {at}. The label may be misprinted or misread: scan again; if it repeats, set the item aside.</source>
        <translation>GTIN 校验位错误（应为 {expected}，实际为 {found}），位于第 {at} 个字符。标签可能印刷错误或被误读：请重新扫描；如果问题重复出现，请将该物品隔离。</translation>
    </message>
    <message>
        <source>The HIBC code is only {length} characters long, too short for data and a check character. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>该 HIBC 条码只有 {length} 个字符，不足以包含数据和校验字符。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The ISBT 128 data identifier &apos;{identifier}&apos; at character {at} is not one the station reads. Its length is unknown, so the rest of the code was not read. Report the label.</source>
        <translation>第 {at} 个字符处的 ISBT 128 数据标识符「{identifier}」不在扫描站的读取范围内。其长度未知，因此条码的其余部分未被读取。请上报该标签。</translation>
    </message>
    <message>
        <source>The MA code cannot be read at character {at}: {reason}. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>MA 码在第 {at} 个字符处无法读取：{reason}。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The PPN check digits are wrong (expected {expected}, found {found}) at character {at}. The label may be misprinted or misread: scan again; if it repeats, set the item aside.</source>
        <translation>PPN 校验位错误（应为 {expected}，实际为 {found}），位于第 {at} 个字符。标签可能印刷错误或被误读：请重新扫描；如果问题重复出现，请将该物品隔离。</translation>
    </message>
    <message>
        <source>The check character is wrong (expected &apos;{expected}&apos;, found &apos;{found}&apos;) at character {at}. The label may be misprinted or misread: scan again; if it repeats, set the item aside.</source>
        <translation>校验字符错误（应为「{expected}」，实际为「{found}」），位于第 {at} 个字符。标签可能印刷错误或被误读：请重新扫描；如果问题重复出现，请将该物品隔离。</translation>
    </message>
    <message>
        <source>The code holds two different values for the {what} (characters {first} and {at}). The station cannot tell which is right: set the item aside and report the label.</source>
        <translation>该条码的 {what} 有两个不同的值（第 {first} 和第 {at} 个字符）。扫描站无法判断哪个正确：请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The compound message at character {at} announces {declared} data structures but {found} follow. Part of the code may be missing: scan it again.</source>
        <translation>第 {at} 个字符处的复合消息声明有 {declared} 个数据结构，但后面只有 {found} 个。条码可能缺失了一部分：请重新扫描。</translation>
    </message>
    <message>
        <source>The donation number&apos;s flags &apos;{flags}&apos; at character {at} carry check value {found}, but the number needs {expected} (mod 37-2). The label may be misprinted or misread: scan again; if it repeats, set the item aside.</source>
        <translation>第 {at} 个字符处献血号的标志「{flags}」带有校验值 {found}，但该编号要求 {expected}（模 37-2）。标签可能印刷错误或被误读：请重新扫描；如果问题重复出现，请将该物品隔离。</translation>
    </message>
    <message>
        <source>The envelope header is not &apos;[)&gt;&apos; RS, a two-digit format number and GS (character {at}). Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>信封头不是「[)&gt;」RS、两位格式编号和 GS（第 {at} 个字符）。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The field at character {at} (&apos;{value}&apos;) does not start with a data identifier (digits and a capital letter, such as 1T). Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的字段（「{value}」）不是以数据标识符（数字加一个大写字母，如 1T）开头。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The first scan is not a readable HIBC product label (primary data only); the two scans cannot be joined. Scan the product label first, then the lot label.</source>
        <translation>第一次扫描的不是可读取的 HIBC 产品标签（仅含主数据）；两次扫描无法合并。请先扫描产品标签，再扫描批号标签。</translation>
    </message>
    <message>
        <source>The lot label&apos;s link character &apos;{found}&apos; (character {at}) is not the product label&apos;s check character &apos;{expected}&apos;: the two labels may be from different items. Scan both labels of the same item again.</source>
        <translation>批号标签的链接字符「{found}」（第 {at} 个字符）不是产品标签的校验字符「{expected}」：两个标签可能来自不同的物品。请重新扫描同一物品的两个标签。</translation>
    </message>
    <message>
        <source>The lot/expiry data at character {at} cannot be read: {reason}. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的批号/失效日期数据无法读取：{reason}。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The product part at character {at} is not labeler code (4 characters, first a letter) + product number (1-18 letters or digits) + unit of measure (1 digit): {reason}. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的产品部分不符合「标签商代码（4 个字符，首字符为字母）+ 产品编号（1-18 个字母或数字）+ 计量单位（1 位数字）」：{reason}。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The second scan is not a readable HIBC lot label (secondary data with a link character); the two scans cannot be joined. Scan the product label first, then the lot label.</source>
        <translation>第二次扫描的不是可读取的 HIBC 批号标签（带链接字符的次级数据）；两次扫描无法合并。请先扫描产品标签，再扫描批号标签。</translation>
    </message>
    <message>
        <source>The {title} &apos;{value}&apos; at character {at} is not a valid date: {reason}. Do not use this date; check the printed date on the label. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的{title}「{value}」不是有效日期：{reason}。请勿使用此日期；请核对标签上印刷的日期。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The {title} &apos;{value}&apos; at character {at} is not a valid date: {reason}. Do not use this date; check the printed date on the pack. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的{title}「{value}」不是有效日期：{reason}。请勿使用此日期；请核对包装上印刷的日期。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The {title} at character {at} (&apos;{value}&apos;) is not in the required form ({form}). Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的{title}（「{value}」）不符合要求的格式（{form}）。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The {title} at character {at} needs {length} characters but only {available} were scanned. Scan the whole code again.</source>
        <translation>第 {at} 个字符处的{title}需要 {length} 个字符，但只扫描到 {available} 个。请重新扫描整个条码。</translation>
    </message>
    <message>
        <source>The {what} &apos;{value}&apos; at character {at} is not a valid date: {reason}. Do not use this date; check the printed date on the label. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的 {what}「{value}」不是有效日期：{reason}。请勿使用此日期；请核对标签上印刷的日期。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The {what} at character {at} contains &apos;{char}&apos;; HIBC allows only A-Z and 0-9 there. Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>第 {at} 个字符处的 {what} 含有「{char}」；HIBC 在此处只允许 A-Z 和 0-9。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>The {what} at character {at} is {length} characters long; HIBC allows at most {limit}. The label is encoded wrongly: report the label.</source>
        <translation>第 {at} 个字符处的 {what} 长 {length} 个字符；HIBC 最多允许 {limit} 个。标签编码错误：请上报该标签。</translation>
    </message>
    <message>
        <source>This ISBT 128 code has no product identifier (=/ or =)): it is not a complete UDI. Also scan the product code on the label.</source>
        <translation>该 ISBT 128 条码没有产品标识符（=/ 或 =)）：不是完整的 UDI。请同时扫描标签上的产品代码。</translation>
    </message>
    <message>
        <source>This MA code was issued for country code {country}, not China (156).</source>
        <translation>该 MA 码的发码国家代码为 {country}，不是中国（156）。</translation>
    </message>
    <message>
        <source>This code is not a UDI format the station knows (GS1, HIBC, ISBT 128, PPN, MA). It is shown as plain text.</source>
        <translation>该条码不是扫描站已知的 UDI 格式（GS1、HIBC、ISBT 128、PPN、MA）。按纯文本显示。</translation>
    </message>
    <message>
        <source>This is a HIBC Provider Applications Standard code (&apos;+/&apos;), used inside hospitals for patients and records. The station reads only supplier labels (HIBC LIC); it was not read.</source>
        <translation>这是 HIBC 医疗机构应用标准（PAS）条码（「+/」），用于医院内部的患者和病历管理。扫描站只读取供应商标签（HIBC LIC）；未读取该条码。</translation>
    </message>
    <message>
        <source>This looks like a compressed GS1 Digital Link (&apos;{segment}&apos;), which the station does not support. Ask the supplier for an uncompressed Digital Link or a GS1 DataMatrix; the station never opens web addresses.</source>
        <translation>这看起来是压缩的 GS1 数字链接（「{segment}」），扫描站不支持。请向供应商索取未压缩的数字链接或 GS1 DataMatrix 码；扫描站从不打开网址。</translation>
    </message>
    <message>
        <source>This web address cannot be read as a GS1 Digital Link: {reason} (character {at}). Scan again; if it repeats, set the item aside and report the label.</source>
        <translation>该网址无法按 GS1 数字链接读取：{reason}（第 {at} 个字符）。请重新扫描；如果问题重复出现，请将该物品隔离并上报该标签。</translation>
    </message>
    <message>
        <source>This web address has no GS1 key such as /01/&lt;GTIN&gt; in its path, so it is not a GS1 Digital Link the station can read. The station never opens web addresses.</source>
        <translation>该网址的路径中没有 /01/&lt;GTIN&gt; 之类的 GS1 标识代码，因此不是扫描站可读取的 GS1 数字链接。扫描站从不打开网址。</translation>
    </message>
    <message>
        <source>{count} separator substitute(s) typed by the scanner ({tokens}) were read as control characters.</source>
        <translation>扫描枪输入的 {count} 个分隔符替代符（{tokens}）已按控制字符读取。</translation>
    </message>
    <message>
        <source>{count} separators (GS) follow each other at character {at}; the extra ones were ignored. Check the printer&apos;s or scanner&apos;s GS1 settings.</source>
        <translation>第 {at} 个字符处有 {count} 个连续的分隔符（GS）；多余的已忽略。请检查打印机或扫描枪的 GS1 设置。</translation>
    </message>
</context>
<context>
    <name>udi.scheme</name>
    <message>
        <source>GS1</source>
        <extracomment>Longest scan value quoted inside a message; the raw view shows the whole scan. str(): PySide6 types the NOOP marker as returning object; lupdate still finds each text.</extracomment>
        <translation>GS1</translation>
    </message>
    <message>
        <source>GS1 Digital Link</source>
        <translation>GS1 数字链接</translation>
    </message>
    <message>
        <source>HIBC</source>
        <translation>HIBC</translation>
    </message>
    <message>
        <source>ISBT 128</source>
        <translation>ISBT 128</translation>
    </message>
    <message>
        <source>IFA PPN</source>
        <translation>IFA PPN</translation>
    </message>
    <message>
        <source>China MA</source>
        <translation>中国 MA 码</translation>
    </message>
    <message>
        <source>Unknown format</source>
        <translation>未知格式</translation>
    </message>
</context>
</TS>
