// Every model of the MAE checkpoint, each a real graph with weights, and a log line per file.
def onnx = new File(basedir, 'target/onnx')
['encoder', 'mae'].each { name ->
    def file = new File(onnx, name + '.onnx')
    assert file.isFile() : "$file was not written"
    assert file.length() > 10_000 : "$file is only ${file.length()} bytes"
}
assert !new File(onnx, 'classifier.onnx').exists()
def log = new File(basedir, 'build.log').text
assert log =~ /wrote .*encoder\.onnx \([\d,]+ bytes, opset 17\)/
assert log =~ /wrote .*mae\.onnx \([\d,]+ bytes, opset 17\)/
true
