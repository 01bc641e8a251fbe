fn main() {
    ikd_console::start();
}
