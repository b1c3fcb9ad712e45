// The build failed on the checkpoint, said why, and wrote nothing.
def log = new File(basedir, 'build.log').text
def missing = new File(basedir, 'no-such-checkpoint.zip')
assert log.contains("checkpoint ${missing}: no such file") : 'build.log lacks the checkpoint error'
assert log.contains('BUILD FAILURE')
assert !new File(basedir, 'target/onnx').exists()
true
